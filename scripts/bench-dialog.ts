/**
 * Benchmark (not a timed test): latency of `understandMessage` per message, the whole read of one
 * follower message (normalization, jieba, features, model, opt-out lexicon, entities), over the
 * held-out split repeated. Training and jieba's dictionary load happen before timing starts.
 *
 *   npm run bench:dialog [-- --rounds 20]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadCorpus, loadIntentModel, understandMessage } from '../core/understanding/index.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '20' } } });
const rounds = Number(values.rounds);
const texts = loadCorpus().filter((u) => u.split === 'test').map((u) => u.text);
const courses = [
  { id: 'c1', titles: ['Python 数据分析实战', 'Python for Data Analysis'] },
  { id: 'c2', titles: ['手机摄影入门', 'Phone Photography Basics'] },
  { id: 'c3', titles: ['个人理财 21 天', '21 Days of Personal Finance'] },
];
const trainStarted = performance.now();
const model = loadIntentModel();
const trainMs = performance.now() - trainStarted;
for (const text of texts) understandMessage(model, text, { courses });

const samplesMs: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const text of texts) {
    const started = performance.now();
    understandMessage(model, text, { courses });
    samplesMs.push(performance.now() - started);
  }
}
samplesMs.sort((a, b) => a - b);
const at = (q: number) => samplesMs[Math.min(samplesMs.length - 1, Math.floor(q * samplesMs.length))]!;
console.log(`understandMessage over the held-out split (${texts.length} messages) × ${rounds} rounds = ${samplesMs.length} calls, with a 3-course catalogue to match titles against`);
console.log(`p50 ${at(0.5).toFixed(3)} ms   p99 ${at(0.99).toFixed(3)} ms   max ${samplesMs[samplesMs.length - 1]!.toFixed(3)} ms`);
console.log(`model load (training on the train split, jieba dictionary included): ${trainMs.toFixed(0)} ms`);
console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (shared: figures vary with other work)`);
