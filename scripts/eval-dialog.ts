/**
 * Held-out evaluation of the intent model (core/understanding) on the repository corpus.
 *
 *   npm run eval:dialog [-- --errors]
 *
 * Trains on the train split, chooses the confidence threshold by 5-fold cross-validation of the
 * train split, and reports on the held-out test split: per-intent precision/recall/F1, accuracy per
 * language, the confusion matrix, and the unsubscribe safety figures.
 */
import { parseArgs } from 'node:util';
import {
  CONFIDENCE_THRESHOLD,
  INTENTS,
  chooseConfidenceThreshold,
  crossValidate,
  loadCorpus,
  predictAt,
  reportIntents,
  scoreUtterances,
  trainIntentModel,
  type IntentName,
} from '../core/understanding/index.js';

const { values } = parseArgs({ options: { errors: { type: 'boolean', default: false } } });
const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
const corpus = loadCorpus();
const train = corpus.filter((u) => u.split === 'train');
const test = corpus.filter((u) => u.split === 'test');
console.log(`corpus: ${corpus.length} utterances, ${train.length} train / ${test.length} held-out test, ${INTENTS.length} intents`);

const cvStarted = performance.now();
const folds = crossValidate(train, 5);
const chosen = chooseConfidenceThreshold(folds.flat());
const foldAccuracies = folds.map((fold) => reportIntents(predictAt(fold, CONFIDENCE_THRESHOLD)).accuracy);
const mean = foldAccuracies.reduce((a, b) => a + b, 0) / foldAccuracies.length;
const sd = Math.sqrt(foldAccuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (foldAccuracies.length - 1));
console.log(`5-fold CV on train: accuracy ${percent(mean)} ± ${percent(sd)} (folds ${foldAccuracies.map(percent).join(', ')}), ${((performance.now() - cvStarted) / 1000).toFixed(1)} s`);
console.log(`confidence threshold: CV picks ${chosen.toFixed(2)}, served CONFIDENCE_THRESHOLD = ${CONFIDENCE_THRESHOLD.toFixed(2)}${chosen === CONFIDENCE_THRESHOLD ? '' : '  <-- out of step: update understand-message.ts'}`);

const trainStarted = performance.now();
const model = trainIntentModel(train);
const trainMs = performance.now() - trainStarted;
console.log(`training on the train split: ${trainMs.toFixed(0)} ms, ${model.featureIndex.size} features`);

const report = reportIntents(predictAt(scoreUtterances(model, test), CONFIDENCE_THRESHOLD));
console.log(`\nHELD-OUT (${report.count} utterances): accuracy ${percent(report.accuracy)}`);
for (const [lang, { count, accuracy }] of Object.entries(report.accuracyByLang)) console.log(`  ${lang.padEnd(8)} ${percent(accuracy).padStart(6)}  (n=${count})`);
console.log(`unsubscribe recall ${percent(report.unsubscribeRecall)} (n=${report.perIntent.unsubscribe.support}), false unsubscribes ${report.falseUnsubscribes.length}`);
for (const p of report.falseUnsubscribes) console.log(`  false unsubscribe: "${p.text}" (${p.gold})`);

console.log('\nintent            precision  recall     F1  support');
for (const intent of INTENTS) {
  const m = report.perIntent[intent];
  console.log(`${intent.padEnd(17)} ${percent(m.precision).padStart(9)} ${percent(m.recall).padStart(7)} ${percent(m.f1).padStart(6)} ${String(m.support).padStart(8)}`);
}

const short = (intent: IntentName) => intent.split('_').map((w) => w.slice(0, 3)).join('_').slice(0, 7);
console.log('\nconfusion matrix (rows: gold, columns: predicted)');
console.log(`${''.padEnd(8)}${INTENTS.map((i) => short(i).padStart(8)).join('')}`);
for (const gold of INTENTS) console.log(`${short(gold).padEnd(8)}${INTENTS.map((p) => String(report.confusion[gold][p] || '.').padStart(8)).join('')}`);

if (report.errors.length) {
  console.log(`\nheld-out errors (${report.errors.length})${values.errors ? '' : ': run with -- --errors to list them'}`);
  if (values.errors) for (const e of report.errors) console.log(`  [${e.lang}] "${e.text}": ${e.gold} → ${e.predicted}`);
}
