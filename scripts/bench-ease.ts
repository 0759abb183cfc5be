/**
 * EASE training benchmark: our fit against the standard numpy EASE, side by side in one run.
 *
 * For each catalogue size (default 5,000 and 10,000 courses) it builds the synthetic follower ×
 * course matrix of the recommender benchmarks (50,000 followers × 1,000,000 events, Zipf-like
 * popularity in topic clusters; scripts/synthetic-catalogue.ts), then, `--repeat` times:
 *  - times `new EaseModel({ lambda, solver: 'blocked' }).fit(X)`: the Gram matrix XᵀX from the
 *    sparse rows, the blocked-sweep inverse of XᵀX + λI on TensorFlow.js wasm (this thread plus
 *    `--threads − 1` workers; default 2, as the retrain uses above 7,000 courses on 2 cores), then
 *    every row of B = I − P·diag(1/diag P) with diag(B) = 0 once (`weightRow`, Float32, as the
 *    served fit reads them to keep each course's strongest weights);
 *  - writes the same matrix (CSR) to a temp directory and times, in `python3`, Steck's reference
 *    code on it: G = (XᵀX).toarray() with scipy.sparse, G += λI, P = np.linalg.inv(G),
 *    B = P / −diag(P), diag(B) = 0, Float64, OpenBLAS with its default threads (file reading and
 *    interpreter start are not timed);
 *  - compares the two B matrices on 64 sampled columns (max absolute difference, and relative to
 *    the largest |B| in them), and prints both times and the ratio ours / numpy.
 * Skips the numpy side with a note if python3, numpy or scipy are missing. The machine is shared,
 * so both sides see the same load only roughly; run it a few times.
 *
 * `npm run bench:ease [-- --sizes 5000,10000 --users 50000 --events 1000000 --repeat 3 --threads 2]`
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { csrFromPairs, EaseModel, initTensorflowBackend, type Csr } from '../core/recommend/index.js';
import { syntheticInteractions } from './synthetic-catalogue.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5000,10000' }, users: { type: 'string', default: '50000' }, events: { type: 'string', default: '1000000' },
    lambda: { type: 'string', default: '500' }, repeat: { type: 'string', default: '1' }, threads: { type: 'string', default: String(Math.min(2, availableParallelism())) },
    block: { type: 'string' }, tile: { type: 'string' },
  },
});
const lambda = Number(values.lambda);
const threads = Number(values.threads);
const repeat = Number(values.repeat);
const SAMPLED_COLUMNS = 64;

const REFERENCE = `
import json, sys, time
import numpy as np
from scipy.sparse import csr_matrix
d, n_rows, n, lam = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
indptr = np.fromfile(d + '/indptr.i32', dtype=np.int32)
indices = np.fromfile(d + '/indices.i32', dtype=np.int32)
columns = np.fromfile(d + '/columns.i32', dtype=np.int32)
X = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n_rows, n))
t0 = time.perf_counter()
G = X.T.dot(X).toarray()
t1 = time.perf_counter()
diag = np.diag_indices(n)
G[diag] += lam
P = np.linalg.inv(G)
B = P / (-np.diag(P))
B[diag] = 0
t2 = time.perf_counter()
np.ascontiguousarray(B[:, columns].T).astype(np.float32).tofile(d + '/b-columns.f32')
print(json.dumps({'gram_s': t1 - t0, 'inverse_s': t2 - t1, 'numpy': np.__version__}))
`;

interface Reference { gram_s: number; inverse_s: number; numpy: string }

function pythonMissing(): string | null {
  try {
    execFileSync('python3', ['-c', 'import numpy, scipy'], { stdio: 'pipe' });
    return null;
  } catch {
    return 'python3 with numpy and scipy is not installed here: the numpy reference is skipped, only our time is printed';
  }
}

function runReference(dir: string, x: Csr): Reference {
  const out = execFileSync('python3', ['-c', REFERENCE, dir, String(x.nRows), String(x.nCols), String(lambda)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Reference;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0]!.toFixed(2)} / median ${s[Math.floor(s.length / 2)]!.toFixed(2)} / max ${s.at(-1)!.toFixed(2)}`;
};

const backend = await initTensorflowBackend();
const missing = pythonMissing();
console.log(`EASE fit benchmark: TensorFlow.js backend ${backend}, our threads ${threads}, λ = ${lambda}, ${availableParallelism()} cores (shared with other jobs: expect noise)`);
if (missing) console.log(`NOTE: ${missing}`);

for (const nItems of values.sizes.split(',').map(Number)) {
  const size = { users: Number(values.users), items: nItems, events: Number(values.events) };
  const { users, items } = syntheticInteractions(size);
  const x = csrFromPairs(size.users, nItems, users, items);
  console.log(`\n${nItems} courses × ${size.users} followers × ${size.events} events (${x.indices.length} distinct follower–course pairs)`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-ease-'));
  const columns = Int32Array.from({ length: SAMPLED_COLUMNS }, (_, c) => Math.floor(((c + 0.5) * nItems) / SAMPLED_COLUMNS));
  writeFileSync(join(dir, 'indptr.i32'), x.indptr);
  writeFileSync(join(dir, 'indices.i32'), x.indices);
  writeFileSync(join(dir, 'columns.i32'), columns);
  const ratios: number[] = [];
  try {
    for (let run = 1; run <= repeat; run++) {
      const model = new EaseModel({ lambda, solver: 'blocked', blocked: { threads, blockSize: values.block ? Number(values.block) : undefined, tileRows: values.tile ? Number(values.tile) : undefined } });
      const started = performance.now();
      model.fit(x);
      const row = new Float32Array(nItems);
      for (let i = 0; i < nItems; i++) model.weightRow(i, row);
      const oursMs = performance.now() - started;
      const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
      let line = `  run ${run}: ours ${seconds(oursMs)} s (Gram + blocked inverse + B; process RSS after ${rssMb} MB)`;
      if (!missing) {
        const ref = runReference(dir, x);
        const numpyMs = 1000 * (ref.gram_s + ref.inverse_s);
        const reference = new Float32Array(readFileSync(join(dir, 'b-columns.f32')).buffer.slice(0));
        let maxDiff = 0;
        let maxAbs = 0;
        for (let i = 0; i < nItems; i++) {
          model.weightRow(i, row);
          columns.forEach((col, c) => {
            const want = reference[c * nItems + i]!;
            maxDiff = Math.max(maxDiff, Math.abs(row[col]! - want));
            maxAbs = Math.max(maxAbs, Math.abs(want));
          });
        }
        ratios.push(oursMs / numpyMs);
        line += `; numpy ${ref.numpy} ${seconds(numpyMs)} s (Gram ${ref.gram_s.toFixed(1)} s + inv/divide ${ref.inverse_s.toFixed(1)} s); ours/numpy ${(oursMs / numpyMs).toFixed(2)}×; `
          + `B max |diff| on ${SAMPLED_COLUMNS} columns ${maxDiff.toExponential(2)} (${(maxDiff / maxAbs).toExponential(2)} of max |B| ${maxAbs.toFixed(4)})`;
      }
      console.log(line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (ratios.length) console.log(`  ${nItems} courses, ours/numpy over ${ratios.length} run(s): ${spread(ratios)}; target ≤ 2× ${Math.max(...ratios) <= 2 ? 'met in every run' : 'MISSED in some run'}`);
}
