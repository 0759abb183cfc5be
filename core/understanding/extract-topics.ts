import { TAG_LEXICON, tagForTerm } from '../text/tag-lexicon.js';
import { editDistance } from './edit-distance.js';
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
