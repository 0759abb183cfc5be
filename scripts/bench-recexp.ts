/**
 * Benchmark (not a timed test): what a running recommender experiment adds to serving. Times
 * `recommend(followerId, { limit: 3, shownOn: 'miniprogram' })` on the one chain every channel
 * serves from (buildRecommender: experiment stage, engine with a trained artifact, fallbacks),
 * over the demo catalogue and demo audience, with no experiment running and with one running
 * (two variants: production and the untrained blend at λ 0.5), interleaved in rounds so machine
 * noise hits both alike. The HTTP layer and the course read of GET /mp/recommendations are not in
 * the figure. Also times the exposure log's batched insert (off the request path).
 *
 *   npm run bench:recexp [-- --rounds 5 --requests 200 --database postgres://…]   (PGlite in memory without --database)
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createLogger } from '../adapters/index.js';
import { buildRecommender } from '../bots/wire-recommender.js';
import { toVariants, recommenderExperimentInputSchema } from '../core/experiments/index.js';
import { systemClock } from '../core/index.js';
import { createRepositories, openScratchDatabase, queryRows, seedDemoAudience, seedDemoCatalogue } from '../models/index.js';
import { sql } from 'drizzle-orm';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, requests: { type: 'string', default: '200' }, database: { type: 'string' } } });
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const database = await openScratchDatabase({ prefix: 'bench', ...(values.database ? { databaseUrl: values.database } : {}) });
try {
  await seedDemoCatalogue(database.db);
  await seedDemoAudience({ db: database.db, clock: systemClock });
  const repos = createRepositories(database.db);
  const engine = buildRecommender({ db: database.db, repos, clock: systemClock, logger: createLogger('silent') });
  await engine.retrain();
  const followers = (await queryRows<{ id: string }>(database.db, sql`SELECT id FROM followers WHERE has_personalization_consent ORDER BY id`)).map((r) => r.id);
  const input = recommenderExperimentInputSchema.parse({ name: 'bench', variants: [{ sharePercent: 50 }, { sharePercent: 50, ranker: 'untrained_blend', mmrLambda: 0.5 }] });
  const experiment = await engine.experiments.repository.create({ name: 'bench', variants: toVariants(input), attributionHours: 72, createdBy: null }, { actor: 'bench', action: 'bench' });

  const serve = async (samples: number[]) => {
    for (let r = 0; r < requests; r++) {
      const followerId = followers[(r * 7919) % followers.length]!;
      const started = performance.now();
      await engine.recommender.recommend(followerId, { limit: 3, shownOn: 'miniprogram' });
      samples.push(performance.now() - started);
    }
  };
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  const off: number[] = [];
  const on: number[] = [];
  const perRound = { off: [] as number[], on: [] as number[] };
  const flushes: number[] = [];
  await serve([]); // warm-up: catalogue index, artifact, prepared statements
  for (let round = 0; round < rounds; round++) {
    const offRound: number[] = [];
    await serve(offRound);
    await engine.experiments.repository.start(experiment.id, new Date(), { actor: 'bench', action: 'bench' });
    engine.experiments.invalidate();
    const onRound: number[] = [];
    await serve(onRound);
    const started = performance.now();
    await engine.experiments.exposures.flush();
    flushes.push(performance.now() - started);
    await engine.experiments.repository.stop(experiment.id, new Date(), { actor: 'bench', action: 'bench' });
    await queryRows(database.db, sql`UPDATE recommender_experiments SET status = 'draft' WHERE id = ${experiment.id}::uuid`);
    engine.experiments.invalidate();
    off.push(...offRound);
    on.push(...onRound);
    perRound.off.push(quantile(offRound, 0.99));
    perRound.on.push(quantile(onRound, 0.99));
  }
  const [exposures] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM recommender_exposures`);
  const line = (name: string, xs: number[], p99s: number[]) =>
    `${name.padEnd(26)} p50 ${quantile(xs, 0.5).toFixed(2)} ms  p95 ${quantile(xs, 0.95).toFixed(2)} ms  p99 ${quantile(xs, 0.99).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms  p99 per round ${p99s.map((p) => p.toFixed(2)).join(' / ')}`;
  console.log(`recommend(limit 3) on the served chain, ${database.kind}, ${followers.length} consenting demo followers, ${rounds} rounds × ${requests} requests per condition, interleaved`);
  console.log(line('no experiment running', off, perRound.off));
  console.log(line('experiment running (A/B)', on, perRound.on));
  console.log(`exposure log: ${exposures!.n} lists written in ${flushes.length} flushes of ${requests} lists: ${flushes.map((f) => f.toFixed(1)).join(' / ')} ms (off the request path)`);
  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (shared with other work: figures vary between runs)`);
} finally {
  await database.close();
}
