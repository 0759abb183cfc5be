import type { CorpusLang, LabelledUtterance } from './corpus.js';
import { scoreIntents, trainIntentModel, type IntentModel, type IntentScore, type TrainingOptions } from './intent-model.js';
import { INTENTS, type IntentName } from './intents.js';
import { normalizeText } from './normalize-text.js';
import { readOptOut, type OptOutReading } from './opt-out-guard.js';
import { decideIntent } from './understand-message.js';

/** The model's view of one labelled utterance, before a threshold is applied. */
export interface ScoredUtterance {
  gold: IntentName;
  lang: CorpusLang;
  text: string;
  normalized: string;
  ranked: IntentScore[];
  reading: OptOutReading;
}

export interface Prediction {
  gold: IntentName;
  predicted: IntentName;
  lang: CorpusLang;
  text: string;
}

export interface IntentReport {
  count: number;
  accuracy: number;
  accuracyByLang: Partial<Record<CorpusLang, { count: number; accuracy: number }>>;
  perIntent: Record<IntentName, { precision: number; recall: number; f1: number; support: number }>;
  /** confusion[gold][predicted] = count. */
  confusion: Record<IntentName, Record<IntentName, number>>;
  unsubscribeRecall: number;
  /** Messages read as `unsubscribe` that were not. */
  falseUnsubscribes: Prediction[];
  errors: Prediction[];
}

/**
 * Scores utterances with a trained model (the costly part), so thresholds can be tried cheaply.
 *
 * @example
 * const scored = scoreUtterances(model, loadCorpus().filter((u) => u.split === 'test'));
 */
export function scoreUtterances(model: IntentModel, utterances: readonly LabelledUtterance[]): ScoredUtterance[] {
  return utterances.map((u) => {
    const normalized = normalizeText(u.text);
    return { gold: u.intent, lang: u.lang, text: u.text, normalized, ranked: scoreIntents(model, normalized), reading: readOptOut(normalized) };
  });
}

/**
 * Final predictions of scored utterances at a confidence threshold (see `decideIntent`).
 *
 * @example
 * predictAt(scored, CONFIDENCE_THRESHOLD).filter((p) => p.gold !== p.predicted)
 */
export function predictAt(scored: readonly ScoredUtterance[], threshold: number): Prediction[] {
  return scored.map((s) => ({ gold: s.gold, lang: s.lang, text: s.text, predicted: decideIntent(s.ranked, s.reading, threshold, s.normalized).intent }));
}

/**
 * Out-of-fold scores of k-fold cross-validation over the handwritten utterances. Folds are
 * stratified by intent and language (every k-th utterance of each group, in corpus order), so the
 * result is deterministic; template rows train every fold and are never scored, because variants
 * of one core phrase in two folds would flatter the figure.
 *
 * @example
 * const folds = crossValidate(loadCorpus().filter((u) => u.split === 'train'), 5);
 */
export function crossValidate(utterances: readonly LabelledUtterance[], k: number, options: TrainingOptions = {}): ScoredUtterance[][] {
  const foldOf = new Map<LabelledUtterance, number>();
  const seenPerGroup = new Map<string, number>();
  for (const u of utterances) {
    if (u.source !== 'hand') continue;
    const group = `${u.intent}|${u.lang}`;
    const seen = seenPerGroup.get(group) ?? 0;
    foldOf.set(u, seen % k);
    seenPerGroup.set(group, seen + 1);
  }
  const folds: ScoredUtterance[][] = [];
  for (let fold = 0; fold < k; fold++) {
    const model = trainIntentModel(utterances.filter((u) => foldOf.get(u) !== fold), options);
    folds.push(scoreUtterances(model, utterances.filter((u) => foldOf.get(u) === fold)));
  }
  return folds;
}

/**
 * The confidence threshold with the best cross-validated accuracy, from 0 to 0.8 in steps of 0.01;
 * of a run of equally good values, the middle one (a plateau's edge is where the next corpus change
 * tips it).
 *
 * @example
 * chooseConfidenceThreshold(crossValidate(train, 5).flat()) // 0.1
 */
export function chooseConfidenceThreshold(scored: readonly ScoredUtterance[]): number {
  let best = -1;
  let plateau: number[] = [];
  for (let step = 0; step <= 80; step++) {
    const threshold = step / 100;
    const correct = predictAt(scored, threshold).filter((p) => p.gold === p.predicted).length;
    if (correct > best) {
      best = correct;
      plateau = [threshold];
    } else if (correct === best && plateau[plateau.length - 1] === (step - 1) / 100) {
      plateau.push(threshold);
    }
  }
  return plateau[Math.floor((plateau.length - 1) / 2)] ?? 0;
}

function zeroRow(): Record<IntentName, number> {
  return Object.fromEntries(INTENTS.map((intent) => [intent, 0])) as Record<IntentName, number>;
}

/**
 * Accuracy (overall and per language), per-intent precision/recall/F1, confusion matrix and the
 * unsubscribe safety figures of a set of predictions.
 *
 * @example
 * const report = reportIntents(predictAt(scoreUtterances(model, test), CONFIDENCE_THRESHOLD));
 */
export function reportIntents(predictions: readonly Prediction[]): IntentReport {
  const confusion = Object.fromEntries(INTENTS.map((intent) => [intent, zeroRow()])) as Record<IntentName, Record<IntentName, number>>;
  const byLang: Partial<Record<CorpusLang, { count: number; correct: number }>> = {};
  for (const p of predictions) {
    confusion[p.gold][p.predicted]++;
    const lang = (byLang[p.lang] ??= { count: 0, correct: 0 });
    lang.count++;
    if (p.gold === p.predicted) lang.correct++;
  }
  const perIntent = {} as IntentReport['perIntent'];
  for (const intent of INTENTS) {
    const truePositives = confusion[intent][intent];
    const support = INTENTS.reduce((sum, predicted) => sum + confusion[intent][predicted], 0);
    const predictedCount = INTENTS.reduce((sum, gold) => sum + confusion[gold][intent], 0);
    const precision = predictedCount ? truePositives / predictedCount : 0;
    const recall = support ? truePositives / support : 0;
    perIntent[intent] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  }
  const errors = predictions.filter((p) => p.gold !== p.predicted);
  const accuracyByLang: IntentReport['accuracyByLang'] = {};
  for (const [lang, { count, correct }] of Object.entries(byLang) as Array<[CorpusLang, { count: number; correct: number }]>) accuracyByLang[lang] = { count, accuracy: correct / count };
  return {
    count: predictions.length,
    accuracy: predictions.length ? (predictions.length - errors.length) / predictions.length : 0,
    accuracyByLang,
    perIntent,
    confusion,
    unsubscribeRecall: perIntent.unsubscribe.recall,
    falseUnsubscribes: predictions.filter((p) => p.predicted === 'unsubscribe' && p.gold !== 'unsubscribe'),
    errors,
  };
}
