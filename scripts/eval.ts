/**
 * Offline evaluation of the recommendation models with Gorse's protocol (see /work/shared/data/README.md).
 *
 *   npm run eval -- --interactions ../shared/data/ml-100k/u.data [--k 10] [--folds 5] [--seed 1] [--json OUT] [--protocol temporal]
 *   npm run eval -- --propensity [--synthetic-seeds 1,2,3,4,5] [--demo-seeds 7,8,9] [--followers 3000]   (see eval-propensity.ts)
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluationModels, evaluateModel, kFoldSplit, parseInteractions, temporalSplit, type ModelReport } from '../core/recommend/index.js';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string' },
    k: { type: 'string', default: '10' },
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
    protocol: { type: 'string', default: 'kfold' },
    models: { type: 'string' },
    propensity: { type: 'boolean', default: false },
    'synthetic-seeds': { type: 'string', default: '1,2,3,4,5' },
    'demo-seeds': { type: 'string', default: '7,8,9' },
    followers: { type: 'string', default: '3000' },
  },
});

if (values.propensity) {
  const { evaluatePropensity } = await import('./eval-propensity.js');
  const seeds = (list: string) => list.split(',').filter(Boolean).map(Number);
  await evaluatePropensity({ syntheticSeeds: seeds(values['synthetic-seeds']), demoSeeds: seeds(values['demo-seeds']), followers: Number(values.followers) });
  process.exit(0);
}

if (!values.interactions) {
  console.error('Give the interactions file: npm run eval -- --interactions path/to/u.data (TSV user item [rating] [timestamp] or CSV with header userId,itemId[,rating][,timestamp])');
  process.exit(2);
}
const k = Number(values.k);
const nFolds = Number(values.folds);
const seed = Number(values.seed);
const protocol = values.protocol === 'temporal' ? 'temporal' : 'kfold';

const table = parseInteractions(await readFile(values.interactions, 'utf8'));
const folds = protocol === 'temporal' ? temporalSplit(table, 0.2) : kFoldSplit(table.users.length, nFolds, seed);
console.log(`${table.users.length} interactions, ${table.userIds.length} users, ${table.itemIds.length} items; protocol ${protocol === 'temporal' ? 'temporal (latest 20% per user)' : `${nFolds}-fold random, seed ${seed}`}; top ${k}`);

const wanted = values.models?.split(',');
const models = evaluationModels().filter((m) => !wanted || wanted.includes(m.key));
const reports: ModelReport[] = [];
const started = performance.now();
for (const entry of models) {
  let lastShown = -1;
  const report = evaluateModel(entry.make, table, folds, {
    k,
    onProgress: ({ model, fraction }) => {
      const pct = Math.floor(fraction * 100);
      if (pct >= lastShown + 20 || pct === 100) {
        lastShown = pct;
        process.stderr.write(`  ${model}: ${pct}%\n`);
      }
    },
  });
  reports.push(report);
}
const totalS = (performance.now() - started) / 1000;

const f = (x: number) => x.toFixed(4);
const header = ['model', `P@${k}`, `R@${k}`, `NDCG@${k}`, `MAP@${k}`, `MRR@${k}`, 'coverage', 'train ms'];
const rows = reports.map((r) => [r.name, f(r.precision), f(r.recall), f(r.ndcg), f(r.map), f(r.mrr), f(r.coverage), r.train_ms.toFixed(0)]);
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
const line = (cells: string[]) => '| ' + cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of rows) console.log(line(row));
console.log(`total ${totalS.toFixed(1)} s`);

if (values.json) {
  const out = {
    dataset: path.basename(values.interactions),
    protocol: protocol === 'temporal' ? { kind: 'temporal', holdout: 0.2, k } : { kind: 'kfold', folds: nFolds, seed, k },
    models: reports.map((r) => ({ name: r.name, precision: r.precision, recall: r.recall, ndcg: r.ndcg, map: r.map, mrr: r.mrr, coverage: r.coverage, train_ms: Math.round(r.train_ms) })),
  };
  await writeFile(values.json, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${values.json}`);
}
