import { readFileSync } from 'node:fs';
import { isIntentName, type IntentName } from './intents.js';

/** How an utterance is written: simplified or traditional Chinese, English, both mixed, or no words. */
export const CORPUS_LANGS = ['zh', 'zh-Hant', 'en', 'mixed', 'other'] as const;
export type CorpusLang = (typeof CORPUS_LANGS)[number];

export interface LabelledUtterance {
  text: string;
  intent: IntentName;
  lang: CorpusLang;
  /** The fixed held-out split: `test` rows are never used to train or to choose settings. */
  split: 'train' | 'test';
  /**
   * `hand`: written one by one. When the corpus was first written, 20 % of each intent × language
   * group was held out (306 rows); rows written since are `train`, so the held-out split never
   * changes and stays comparable between versions. `template`: a
   * core phrase written by hand with a polite prefix, suffix or typo added; always `train`, so the
   * held-out split contains only handwritten sentences.
   */
  source: 'hand' | 'template';
}

/** Thrown when the corpus file does not parse; the message names the line to fix. */
export class CorpusFormatError extends Error {
  readonly code = 'corpus_format';
}

/**
 * Rows of a corpus TSV (`intent`, `lang`, `split`, `source`, `text`, with that header line).
 *
 * @example
 * parseCorpus('intent\tlang\tsplit\tsource\ttext\nrefund\tzh\ttrain\thand\t我要退款\n')
 * // [{ intent: 'refund', lang: 'zh', split: 'train', source: 'hand', text: '我要退款' }]
 */
export function parseCorpus(tsv: string): LabelledUtterance[] {
  const lines = tsv.split('\n').filter((line) => line.trim().length > 0);
  const [header, ...rows] = lines;
  if (header !== 'intent\tlang\tsplit\tsource\ttext') throw new CorpusFormatError('Corpus header must be "intent<TAB>lang<TAB>split<TAB>source<TAB>text".');
  return rows.map((line, i) => {
    const [intent = '', lang = '', split = '', source = '', ...rest] = line.split('\t');
    const text = rest.join('\t');
    const where = `corpus line ${i + 2} ("${line}")`;
    if (!isIntentName(intent)) throw new CorpusFormatError(`${where}: unknown intent "${intent}"; add it to INTENTS or fix the label.`);
    if (!(CORPUS_LANGS as readonly string[]).includes(lang)) throw new CorpusFormatError(`${where}: lang must be one of ${CORPUS_LANGS.join(', ')}.`);
    if (split !== 'train' && split !== 'test') throw new CorpusFormatError(`${where}: split must be train or test.`);
    if (source !== 'hand' && source !== 'template') throw new CorpusFormatError(`${where}: source must be hand or template.`);
    if (source === 'template' && split === 'test') throw new CorpusFormatError(`${where}: template rows are train only, so the held-out split stays handwritten.`);
    if (text.trim().length === 0) throw new CorpusFormatError(`${where}: empty text.`);
    return { intent, lang: lang as CorpusLang, split, source, text };
  });
}

let corpus: LabelledUtterance[] | undefined;

/**
 * The labelled bilingual corpus kept in the repository (`core/understanding/corpus/utterances.tsv`),
 * read once on first use.
 *
 * @example
 * const train = loadCorpus().filter((u) => u.split === 'train');
 */
export function loadCorpus(): readonly LabelledUtterance[] {
  corpus ??= parseCorpus(readFileSync(new URL('./corpus/utterances.tsv', import.meta.url), 'utf8'));
  return corpus;
}
