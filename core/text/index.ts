export { segmentWords, tokenize } from './tokenize.js';
export { TAG_LEXICON, tagForTerm, tagsInTerms } from './tag-lexicon.js';
export { TAG_NAMES, tagName, tagsWithoutNames } from './tag-names.js';
export { storableText, storableValue } from './storable-text.js';
