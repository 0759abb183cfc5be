import { TAG_LEXICON, tagForTerm } from '../text/tag-lexicon.js';
import { segmentWords } from '../text/tokenize.js';

const HAN = /\p{Script=Han}/u;

/*
 * Lexicon words that name a topic only in a course catalogue, not in a follower's message ("I want
 * my money back" is not about personal finance). They still count inside longer words.
 */
const TOO_GENERIC = new Set(['money', 'copy', 'side', 'write', 'business', 'product', 'deep', '需求', '产品', '表达']);

/* Words of Taiwan and Hong Kong usage that the lexicon does not list, after simplification. */
const REGIONAL_WORDS: Readonly<Record<string, string>> = { 资料分析: 'data-analysis', 资料: 'data-analysis', 影片剪辑: 'video-editing', 程式: 'python', 理财规划: 'personal-finance' };

const HAN_WORDS: ReadonlyArray<readonly [string, string]> = [
  ...Object.entries(TAG_LEXICON).flatMap(([tag, words]) => words.filter((w) => HAN.test(w) && w.length >= 2 && !TOO_GENERIC.has(w)).map((w) => [w, tag] as const)),
  ...Object.entries(REGIONAL_WORDS),
].sort((a, b) => b[0].length - a[0].length);

const LATIN_WORDS: ReadonlyArray<readonly [string, string]> = Object.entries(TAG_LEXICON).flatMap(([tag, words]) =>
  [tag, ...words].filter((w) => /^[a-z]{5,}$/.test(w) && !TOO_GENERIC.has(w)).map((w) => [w, tag] as const),
);

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
  }
  return rows[a.length]![b.length]!;
}

function tagOfLatinWord(word: string): string | undefined {
  const exact = tagForTerm(word);
  if (exact) return TOO_GENERIC.has(word) ? undefined : exact;
  if (word.length < 5) return undefined;
  // One typo per word of five letters or more, two from nine ("photgraphy", "pyhton", "finace").
  const limit = word.length >= 9 ? 2 : 1;
  let best: { tag: string; distance: number } | undefined;
  for (const [candidate, tag] of LATIN_WORDS) {
    const distance = editDistance(word, candidate, limit);
    if (distance <= limit && (!best || distance < best.distance)) best = { tag, distance };
  }
  return best?.tag;
}

/**
 * Topic tags (the ids of core/text/tag-lexicon.ts) named in normalized text, in order of mention:
 * jieba words that are lexicon words, Chinese words that contain one ("摄影课"), and English words
 * within one or two typos of one ("pyhton").
 *
 * @example
 * extractTopics('有没有python课') // ['python']
 * extractTopics('any photgraphy course?') // ['photography']
 */
export function extractTopics(normalized: string): string[] {
  const tags = new Set<string>();
  for (const piece of segmentWords(normalized)) {
    const word = piece.trim();
    if (!word) continue;
    if (HAN.test(word)) {
      const exact = tagForTerm(word);
      if (exact && !TOO_GENERIC.has(word)) {
        tags.add(exact);
        continue;
      }
      for (const [lexiconWord, tag] of HAN_WORDS) if (word.includes(lexiconWord)) tags.add(tag);
      continue;
    }
    for (const latin of word.match(/[a-z][a-z0-9+#]*/g) ?? []) {
      const tag = tagOfLatinWord(latin);
      if (tag) tags.add(tag);
    }
  }
  return [...tags];
}
