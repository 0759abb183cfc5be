/**
 * Offline evaluation of the served recommender beside reference models, with Gorse's protocol
 * (random 5-fold), a temporal one (each user's latest 20 %) and a global-time one (everything after
 * the moment 80 % of all interactions had happened: the nightly retrain's own situation).
 * The dataset is described in ../shared/data/README.md.
 *
 *   npm run eval -- --interactions ../shared/data/ml-100k/u.data [--items u.item] [--k 10] [--folds 5] [--seed 1]
 *                   [--protocol all|random|temporal|global (or a comma list)]
 *                   [--models served,pop,knn,rp3beta,ease,session-ease] [--ablation global|temporal|random|none] [--serial] [--json OUT]
 *
 * The reference models run in a second process beside the served pipeline (two cores), unless --serial.
 *   npm run eval -- --propensity [--synthetic-seeds 1,2,3,4,5] [--demo-seeds 7,8,9] [--followers 3000]   (see eval-propensity.ts)
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  evaluateNested, evaluateServedPipeline, evaluationModels, GENERATORS, globalTimeSplit, initTensorflowBackend, kFoldSplit, movieLensCourses, parseInteractions, SCORER_NAMES, temporalSplit,
  type Fold, type InteractionTable, type ModelReport, type Protocol, type ServedVariant,
} from '../core/recommend/index.js';

const { values } = parseArgs({
  options: {
    interactions: { type: 'string' },
    items: { type: 'string' },
    k: { type: 'string', default: '10' },
    folds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
    protocol: { type: 'string', default: 'all' },
    models: { type: 'string' },
    propensity: { type: 'boolean', default: false },
    'synthetic-seeds': { type: 'string', default: '1,2,3,4,5' },
    'demo-seeds': { type: 'string', default: '7,8,9' },
    followers: { type: 'string', default: '3000' },
    ablation: { type: 'string', default: 'global' },
    serial: { type: 'boolean', default: false },
    /** Internal: the second process computes the reference models only and writes them to --json. */
    'references-only': { type: 'boolean', default: false },
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
const PROTOCOLS: readonly Protocol[] = ['random', 'temporal', 'global'];
const protocols = values.protocol === 'all' ? [...PROTOCOLS] : values.protocol.split(',').filter((p): p is Protocol => (PROTOCOLS as readonly string[]).includes(p));
if (protocols.length === 0) {
  console.error(`--protocol takes all, or a comma list of ${PROTOCOLS.join(', ')}`);
  process.exit(2);
}
const wanted = values.models?.split(',');
const isWanted = (key: string) => !wanted || wanted.includes(key);
const families = evaluationModels().filter((m) => isWanted(m.key));

const started = performance.now();
const table = parseInteractions(await readFile(values.interactions, 'utf8'));
const splits: Record<Protocol, () => Fold[]> = {
  random: () => kFoldSplit(table.users.length, nFolds, seed),
  temporal: () => temporalSplit(table, 0.2),
  global: () => globalTimeSplit(table, 0.2),
};
const foldsOf = (protocol: Protocol): Fold[] => splits[protocol]();

function referenceReports(data: InteractionTable): Record<string, ModelReport[]> {
  const out: Record<string, ModelReport[]> = {};
  for (const protocol of protocols) {
    const folds = foldsOf(protocol);
    out[protocol] = families.map((family) => evaluateNested(family, data, folds, protocol, { k, seed, onFold: (f) => process.stderr.write(`  ${protocol} ${family.label}: fold ${f + 1}/${folds.length}\n`) }));
  }
  return out;
}

if (values['references-only']) {
  await writeFile(values.json!, JSON.stringify(referenceReports(table)));
  process.exit(0);
}

/** Runs this script again for the reference models only, so they use the second core. */
async function referencesInChildProcess(): Promise<Record<string, ModelReport[]>> {
  const out = path.join(await mkdtemp(path.join(tmpdir(), 'zhiliao-eval-')), 'references.json');
  const args = ['--interactions', values.interactions!, '--k', String(k), '--folds', String(nFolds), '--seed', String(seed), '--protocol', values.protocol!, '--references-only', '--json', out];
  if (values.models) args.push('--models', values.models);
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the reference-model process exited with ${code}; run with --serial to see it in this process`);
  return JSON.parse(await readFile(out, 'utf8')) as Record<string, ModelReport[]>;
}

const backend = await initTensorflowBackend();
const itemsPath = values.items ?? path.join(path.dirname(values.interactions), 'u.item');
const courses = movieLensCourses(existsSync(itemsPath) ? await readFile(itemsPath, 'latin1') : null, table.itemIds);
console.log(`${table.users.length} interactions, ${table.userIds.length} users, ${table.itemIds.length} items (${existsSync(itemsPath) ? `titles and genres from ${path.basename(itemsPath)}` : 'no item file: content has nothing to work with'}); top ${k}; TensorFlow.js ${backend}`);

const served: ServedVariant = { name: 'served pipeline (production)', training: {} };
const ablation: ServedVariant[] = [
  ...GENERATORS.map((g) => ({ name: `served without ${g}`, training: { generators: GENERATORS.filter((x) => x !== g) } })),
  { name: 'served, ranker off (untrained blend)', training: { ranker: 'untrained' as const } },
];

const references = families.length === 0 ? Promise.resolve({}) : values.serial ? Promise.resolve(null) : referencesInChildProcess();
const servedByProtocol: Record<string, Awaited<ReturnType<typeof evaluateServedPipeline>>> = {};
for (const protocol of protocols) {
  const folds = foldsOf(protocol);
  const variants = [...(isWanted('served') ? [served] : []), ...(isWanted('served') && values.ablation === protocol ? ablation : [])];
  servedByProtocol[protocol] = variants.length
    ? await evaluateServedPipeline(table, courses, folds, variants, { k, onProgress: (v, f) => process.stderr.write(`  ${protocol} ${v}: fold ${f + 1}/${folds.length}\n`) })
    : [];
}
const referenceByProtocol = (await references) ?? referenceReports(table);

const f4 = (x: number) => x.toFixed(4);
function printTable(title: string, reports: readonly ModelReport[]): void {
  console.log(`\n${title}`);
  const pm = reports[0]?.spreadKind === 'users' ? '± se' : '± sd';
  const header = ['model', `P@${k}`, pm, `R@${k}`, `NDCG@${k}`, pm, `MAP@${k}`, `MRR@${k}`, 'coverage', 'train s', 'chosen on inner validation'];
  const rows = reports.map((r) => [
    r.name, f4(r.precision), f4(r.spread.precision), f4(r.recall), f4(r.ndcg), f4(r.spread.ndcg), f4(r.map), f4(r.mrr), f4(r.coverage), (r.train_ms / 1000).toFixed(1),
    r.chosen?.length ? [...new Set(r.chosen)].map((c) => `${c} ×${r.chosen!.filter((x) => x === c).length}`).join(', ') : '—',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
}

const out: Record<string, unknown> = { dataset: path.basename(values.interactions), k, backend, protocols: {} };
for (const protocol of protocols) {
  const folds = foldsOf(protocol);
  const servedReports = servedByProtocol[protocol]!;
  const main = [...servedReports.slice(0, 1), ...((referenceByProtocol as Record<string, ModelReport[]>)[protocol] ?? [])];
  const titles: Record<Protocol, string> = {
    random: `random: Gorse's ${nFolds}-fold split of interactions, seed ${seed}`,
    temporal: "temporal: each user's latest 20 % is the test set (one split; ± is the standard error over test users)",
    global: 'global time: everything after the moment 80 % of all interactions had happened is the test set, for users seen before it (one split; ± is the standard error over test users)',
  };
  printTable(titles[protocol], main);
  for (const r of servedReports.slice(0, 1)) {
    for (const [f, c] of r.rankerChoices.entries()) console.log(`  fold ${f + 1}: ${c?.why ?? `${SCORER_NAMES.untrained_blend} serves: no choice recorded`} (${c?.rows.train ?? 0} training rows, ${c?.rows.validation ?? 0} validation rows)`);
    console.log(`  users for whom the engine returned fewer than ${k} picks (the chain's fallbacks would fill them): ${r.short}`);
    console.log(`  reasons shown with the served picks: ${Object.entries(r.reasons).map(([code, share]) => `${code} ${(share * 100).toFixed(1)} %`).join(', ')}`);
  }
  if (servedReports.length > 1) printTable(`ablation of the served pipeline, ${protocol} protocol`, servedReports);
  (out['protocols'] as Record<string, unknown>)[protocol] = { folds: folds.length, models: [...main, ...servedReports.slice(1)].map((r) => ({ ...r, train_ms: Math.round(r.train_ms) })) };
}
const totalS = (performance.now() - started) / 1000;
console.log(`\ntotal ${totalS.toFixed(1)} s (wall clock${values.serial ? ', one process' : ', reference models in a second process'})`);
if (values.json) {
  await writeFile(values.json, JSON.stringify({ ...out, total_s: Math.round(totalS) }, null, 2) + '\n');
  console.log(`wrote ${values.json}`);
}
