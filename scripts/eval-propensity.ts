/**
 * `npm run eval -- --propensity`: the purchase-propensity and churn-risk models, trained exactly as
 * the retrain job trains them (trainPropensity), then tested forward in time. For each dataset and
 * test cut-off T the models are trained on events before T only (the L2 penalty chosen on their
 * own validation window T − 14 days … T) and score every follower as of T; the test labels are what
 * each follower did in T … T + 14 days. Datasets: the demo audience `npm start` seeds (240
 * followers over 60 days; seeds 7, 8, 9) and a synthetic audience whose true probabilities are
 * known (3,000 followers over 180 days; seeds 1–5), where the true probabilities' own AUC and Brier
 * score are the ceiling. Prints AUC, Brier score, calibration error and the reliability table by
 * decile, per run and as mean, standard deviation and range over runs.
 *
 *   npm run eval -- --propensity [--synthetic-seeds 1,2,3,4,5] [--demo-seeds 7,8,9] [--followers 3000]
 */
import {
  featuresAsOf, groupActivity, outcomesAfter, predictLogistic, probabilityReport, PROPENSITY_DEFAULTS, syntheticAudience, trainPropensity,
  type LogisticModel, type PricedCourse, type ProbabilityReport, type PropensityTarget,
} from '../core/recommend/index.js';
import type { ActivityEvent, Clock } from '../core/index.js';
import { createRepositories, openScratchDatabase, PgInteractionRepository, seedDemoAudience, seedDemoCatalogue } from '../models/index.js';

const DAY_MS = 86_400_000;
const HORIZON = PROPENSITY_DEFAULTS.horizonDays;

interface Dataset {
  name: string;
  seed: number;
  events: ActivityEvent[];
  courses: Map<string, PricedCourse>;
  end: Date;
  truth?: (cutoff: Date, horizonDays: number) => Map<string, { purchase: number; churn: number }>;
}

interface Run {
  dataset: string;
  seed: number;
  cutoff: Date;
  target: PropensityTarget;
  l2: number | null;
  validationAuc: number | null;
  test: ProbabilityReport;
  oracle: ProbabilityReport | null;
  predicted: number[];
  labels: number[];
}

async function demoDataset(seed: number): Promise<Dataset> {
  const database = await openScratchDatabase({ prefix: 'eval' });
  try {
    const end = new Date('2026-11-28T00:00:00Z');
    const clock: Clock = { now: () => end };
    await seedDemoCatalogue(database.db);
    await seedDemoAudience({ db: database.db, clock }, { followers: 240, seed });
    const events = await new PgInteractionRepository(database.db).listActivity({ afterId: 0, limit: 1_000_000 });
    const { items } = await createRepositories(database.db).courses.list({ page: 1, pageSize: 500 });
    return { name: 'demo', seed, events, courses: new Map(items.map((c) => [c.id, c])), end };
  } finally {
    await database.close();
  }
}

function runsOn(dataset: Dataset, cutoffs: Date[]): Run[] {
  const everything = groupActivity(dataset.events);
  const runs: Run[] = [];
  for (const cutoff of cutoffs) {
    const before = groupActivity(dataset.events.filter((e) => e.occurredAt.getTime() < cutoff.getTime()));
    const artifact = trainPropensity(before, dataset.courses, cutoff);
    const truth = dataset.truth?.(cutoff, HORIZON);
    for (const target of ['purchase', 'churn'] as const) {
      const model: LogisticModel | null = artifact[target];
      if (!model) {
        console.log(`  ${dataset.name} seed ${dataset.seed} ${cutoff.toISOString().slice(0, 10)} ${target}: no model (${artifact.validation[target].skipped})`);
        continue;
      }
      const predicted: number[] = [];
      const labels: number[] = [];
      const oracle: number[] = [];
      for (const [followerId, timeline] of everything) {
        // Only events before the cut-off reach the features (featuresAsOf); the label is what came after.
        const row = before.has(followerId) ? featuresAsOf(timeline, dataset.courses, cutoff) : null;
        if (!row) continue;
        predicted.push(predictLogistic(model, row));
        const outcome = outcomesAfter(timeline, cutoff, HORIZON);
        labels.push((target === 'purchase' ? outcome.purchased : outcome.churned) ? 1 : 0);
        if (truth) oracle.push(truth.get(followerId)?.[target] ?? 0);
      }
      runs.push({
        dataset: dataset.name, seed: dataset.seed, cutoff, target, l2: artifact.validation[target].l2, validationAuc: artifact.validation[target].report?.auc ?? null,
        test: probabilityReport(predicted, labels), oracle: truth ? probabilityReport(oracle, labels) : null, predicted, labels,
      });
    }
  }
  return runs;
}

const f = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const stats = (xs: number[]) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${f(mean)} ± ${f(sd)} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`;
};

export async function evaluatePropensity(options: { syntheticSeeds: number[]; demoSeeds: number[]; followers: number }): Promise<void> {
  const started = performance.now();
  const runs: Run[] = [];
  for (const seed of options.demoSeeds) {
    const demo = await demoDataset(seed);
    // The demo spans 60 days: test windows ending at the last day, 7 and 14 days before it.
    runs.push(...runsOn(demo, [0, 7, 14].map((back) => new Date(demo.end.getTime() - (HORIZON + back) * DAY_MS))));
  }
  for (const seed of options.syntheticSeeds) {
    const audience = syntheticAudience({ followers: options.followers, days: 180, seed });
    const dataset: Dataset = { name: 'synthetic', seed, ...audience };
    runs.push(...runsOn(dataset, [0, 14, 28].map((back) => new Date(audience.end.getTime() - (HORIZON + back) * DAY_MS))));
  }

  console.log(`\nPropensity (purchase within ${HORIZON} days) and churn risk (no activity within ${HORIZON} days), tested forward from each cut-off\n`);
  console.log('| dataset | seed | cut-off | target | n | positives | AUC | Brier | calib. error | true-probability AUC | true-probability Brier | L2 (validation) | validation AUC |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    console.log(`| ${r.dataset} | ${r.seed} | ${r.cutoff.toISOString().slice(0, 10)} | ${r.target} | ${r.test.n} | ${r.test.positives} | ${f(r.test.auc)} | ${f(r.test.brier)} | ${f(r.test.calibrationError)} | ${f(r.oracle?.auc)} | ${f(r.oracle?.brier)} | ${r.l2 ?? '—'} | ${f(r.validationAuc)} |`);
  }
  console.log('\nOver runs (mean ± sd, range):\n');
  console.log('| dataset | target | runs | AUC | Brier | calib. error | true-probability AUC | base rate |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const dataset of ['demo', 'synthetic']) {
    for (const target of ['purchase', 'churn'] as const) {
      const group = runs.filter((r) => r.dataset === dataset && r.target === target);
      if (group.length === 0) continue;
      const aucs = group.map((r) => r.test.auc).filter((a): a is number => a !== null);
      const oracles = group.map((r) => r.oracle?.auc).filter((a): a is number => a !== null && a !== undefined);
      console.log(`| ${dataset} | ${target} | ${group.length} | ${aucs.length ? stats(aucs) : '—'} | ${stats(group.map((r) => r.test.brier))} | ${stats(group.map((r) => r.test.calibrationError))} | ${oracles.length ? stats(oracles) : '—'} | ${stats(group.map((r) => r.test.positives / r.test.n))} |`);
    }
  }
  console.log('\nReliability by decile of predicted probability (all runs pooled): predicted → observed (n)\n');
  for (const dataset of ['demo', 'synthetic']) {
    for (const target of ['purchase', 'churn'] as const) {
      const group = runs.filter((r) => r.dataset === dataset && r.target === target);
      if (group.length === 0) continue;
      const pooled = probabilityReport(group.flatMap((r) => r.predicted), group.flatMap((r) => r.labels));
      console.log(`${dataset} ${target}: ${pooled.reliability.map((b) => `${f(b.predicted, 2)}→${f(b.observed, 2)} (${b.count})`).join(', ')}`);
    }
  }
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
