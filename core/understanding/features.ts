import { segmentWords } from '../text/tokenize.js';

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[a-z][a-z0-9']*/g;
const LETTER_OR_HAN = /[\p{L}\p{N}]/u;
const QUESTION = /[?？]|[吗呢么嘛]\s*[?？]?\s*$/u;

function lengthBucket(words: number): string {
  if (words <= 1) return '1';
  if (words === 2) return '2';
  if (words <= 4) return '3-4';
  if (words <= 8) return '5-8';
  return '9+';
}

/** Character n-grams of one string, every length from `min` to `max`. */
function charGrams(text: string, min: number, max: number, prefix: string, into: Set<string>): void {
  const chars = [...text];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= chars.length; i++) into.add(prefix + chars.slice(i, i + n).join(''));
  }
}

/**
 * The sparse binary features of normalized text (see `normalizeText`): jieba words and word
 * bigrams (with sentence start `^` and end `$`), character 1–3-grams of Han runs, character 3–5-grams
 * of each Latin word padded with `<` and `>` (so "pyton" still shares most grams with "python"), and
 * a few shape features (length, question, digits, script mix, slash command, no letters at all).
 *
 * @example
 * extractFeatures('有没有python课').includes('w:python') // true
 */
export function extractFeatures(normalized: string): string[] {
  const features = new Set<string>();
  const words = segmentWords(normalized)
    .map((w) => w.trim())
    .filter((w) => w.length > 0 && LETTER_OR_HAN.test(w));
  let previous = '^';
  for (const word of words) {
    features.add(`w:${word}`);
    features.add(`b:${previous}|${word}`);
    previous = word;
  }
  features.add(`b:${previous}|$`);
  for (const run of normalized.match(HAN_RUN) ?? []) charGrams(run, 1, 3, 'c:', features);
  for (const word of normalized.match(LATIN_WORD) ?? []) charGrams(`<${word}>`, 3, 5, 'l:', features);
  const hasHan = HAN.test(normalized);
  const hasLatin = /[a-z]/.test(normalized);
  features.add(`s:len:${lengthBucket(words.length)}`);
  features.add(`s:script:${hasHan ? (hasLatin ? 'mixed' : 'han') : hasLatin ? 'latin' : 'none'}`);
  if (QUESTION.test(normalized)) features.add('s:question');
  if (/\d/.test(normalized)) features.add('s:digit');
  if (normalized.startsWith('/')) features.add('s:slash');
  if (words.length === 0) features.add('s:no-words');
  return [...features];
}
