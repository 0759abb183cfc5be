import { toSimplified } from './traditional-to-simplified.js';

/**
 * Text as the understanding model reads it: Unicode NFKC (full-width letters, digits and
 * punctuation become half-width: `ＡＢＣ１２３？` → `ABC123?`), traditional Chinese characters
 * written in simplified form, lowercase, runs of white space as one space, trimmed.
 *
 * @example
 * normalizeText('這門課多少錢？ＰＹＴＨＯＮ') // '这门课多少钱?python'
 */
export function normalizeText(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ').trim();
}
