/**
 * Recommender scale benchmark on synthetic data: 10,000 courses × 50,000 followers × 1,000,000
 * interactions (Zipf-like popularity, topic clusters). Trains item-item neighbours and popularity, then
 * serves one follower's top 10 from a live history. `npm run bench:recs [-- --users N --items N --events N]`
 */
import { parseArgs } from 'node:util';
import { syntheticInteractions } from './synthetic-catalogue.js';
import { csrFromPairs, itemNeighbours, rowOf, scoreFromNeighbours, seededRandom, topK, itemCounts } from '../core/recommend/index.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '50000' }, items: { type: 'string', default: '10000' }, events: { type: 'string', default: '1000000' }, requests: { type: 'string', default: '2000' } } });
const nUsers = Number(values.users);
const nItems = Number(values.items);
const nEvents = Number(values.events);
const random = seededRandom(7);

console.log(`synthetic: ${nItems} items × ${nUsers} users × ${nEvents} interactions`);
let t = performance.now();
const { users, items } = syntheticInteractions({ users: nUsers, items: nItems, events: nEvents });
console.log(`generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);

t = performance.now();
const matrix = csrFromPairs(nUsers, nItems, users, items);
const popularity = itemCounts(matrix);
let lastPct = -10;
const nb = itemNeighbours(matrix, {
  k: 50,
  shrink: 2,
  onProgress: (f) => {
    const pct = Math.floor(f * 100);
    if (pct >= lastPct + 10) {
      lastPct = pct;
      process.stdout.write(`  training item-item neighbours ${pct}%\n`);
    }
  },
});
const trainS = (performance.now() - t) / 1000;
console.log(`training: ${trainS.toFixed(1)} s (${matrix.indices.length} distinct pairs, ${nb.neighbours.length} neighbour links)`);

const requests = Number(values.requests);
const times: number[] = [];
const scores = new Float64Array(nItems);
for (let r = 0; r < requests; r++) {
  const u = Math.floor(random() * nUsers);
  const started = performance.now();
  const history = rowOf(matrix, u);
  scores.fill(0);
  scoreFromNeighbours(nb, history, scores);
  // Popularity as a small prior so short histories still fill ten slots.
  for (let i = 0; i < nItems; i++) scores[i]! += 1e-6 * popularity[i]!;
  const seen = new Set(history);
  const top = topK(scores, 10, (i) => seen.has(i));
  times.push(performance.now() - started);
  if (top.length < 10) throw new Error('fewer than 10 picks');
}
times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);
console.log(`serving top-10 over ${requests} followers: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, p99 ${pct(0.99)} ms, max ${times.at(-1)!.toFixed(3)} ms`);
console.log(`targets: training < 600 s ${trainS < 600 ? 'OK' : 'MISSED'}; p99 < 10 ms ${Number(pct(0.99)) < 10 ? 'OK' : 'MISSED'}`);
