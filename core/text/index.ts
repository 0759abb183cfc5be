export { tokenize } from './tokenize.js';
export { TAG_LEXICON, tagForTerm, tagsInTerms } from './tag-lexicon.js';
export { storableText, storableValue } from './storable-text.js';
