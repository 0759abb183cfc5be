import { Worker } from 'node:worker_threads';
import type { SweepStep } from './spd-inverse.js';

/** Slots of the control array shared with the workers. */
export const CONTROL = { generation: 0, k0: 1, k1: 2, exit: 3, next: 4, columns: 5, ready: 8, done: 16, failed: 24, size: 32 } as const;
const MAX_WORKERS = CONTROL.done - CONTROL.ready;
/** A step at 10,000 courses takes seconds; this long means a worker died. */
const STEP_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 2 * 60_000;

/** What a worker receives at start: every array is on a SharedArrayBuffer. */
export interface SweepWorkerData {
  index: number;
  a: Float32Array;
  n: number;
  control: Int32Array;
  /** [count, then (i0, i1) per tile] of the current step. */
  tiles: Int32Array;
  r: Float32Array;
  pivot: Float32Array;
}

export interface SweepPool {
  panels: { r: Float32Array; pivot: Float32Array };
  /**
   * Runs the tiles of one step on this thread (`work`) and the workers, each claiming the next
   * unclaimed tile when it is free; returns when all are done.
   */
  run(step: SweepStep, tiles: ReadonlyArray<readonly [number, number]>, work: (claimed: Iterable<readonly [number, number]>) => void): void;
  close(): void;
}

/**
 * Starts `workers` threads that run block-sweep tiles on the shared matrix `a`, each with its own
 * TensorFlow.js wasm backend, and waits (blocking, up to two minutes) until they are ready. The
 * calling thread hands out tiles and blocks on `Atomics.wait` while the workers finish theirs, so
 * the fit stays synchronous. Workers are TypeScript, loaded through tsx's loader.
 *
 * @example
 * const pool = startSweepPool(sharedMatrix, n, 512, 1); try { pool.run(step, tiles, mine); } finally { pool.close(); }
 */
export function startSweepPool(a: Float32Array, n: number, block: number, workers: number): SweepPool {
  const count = Math.min(workers, MAX_WORKERS);
  const shared = (length: number) => new Float32Array(new SharedArrayBuffer(4 * length));
  const panels = { r: shared(block * n), pivot: shared(block * block) };
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL.size));
  const tiles = new Int32Array(new SharedArrayBuffer(4 * (1 + 2 * (n + 2))));
  const script = new URL('./sweep-worker.ts', import.meta.url).href;
  // tsx registers its loader inside the worker, so the worker runs our TypeScript under jest, tsx or node.
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
  const threads = Array.from({ length: count }, (_, index) => {
    const workerData: SweepWorkerData = { index, a, n, control, tiles, ...panels };
    const worker = new Worker(boot, { eval: true, workerData });
    worker.unref();
    return worker;
  });
  const close = () => {
    Atomics.store(control, CONTROL.exit, 1);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    for (const worker of threads) void worker.terminate();
  };
  for (let w = 0; w < count; w++) {
    if (Atomics.wait(control, CONTROL.ready + w, 0, START_TIMEOUT_MS) === 'timed-out' || Atomics.load(control, CONTROL.failed + w)) {
      close();
      throw new Error('an EASE sweep worker did not start (is tsx installed and @tensorflow/tfjs-backend-wasm loadable?)');
    }
  }

  return {
    panels,
    run(step, stepTiles, work) {
      Atomics.store(control, CONTROL.k0, step.k0);
      Atomics.store(control, CONTROL.k1, step.k1);
      Atomics.store(control, CONTROL.columns, step.columns);
      tiles[0] = stepTiles.length;
      stepTiles.forEach(([i0, i1], t) => tiles.set([i0, i1], 1 + 2 * t));
      Atomics.store(control, CONTROL.next, 0);
      const generation = Atomics.add(control, CONTROL.generation, 1) + 1;
      Atomics.notify(control, CONTROL.generation);
      work(claimTiles(control, tiles));
      for (let w = 0; w < count; w++) {
        for (let seen = Atomics.load(control, CONTROL.done + w); seen !== generation; seen = Atomics.load(control, CONTROL.done + w)) {
          if (Atomics.wait(control, CONTROL.done + w, seen, STEP_TIMEOUT_MS) === 'timed-out') {
            close();
            throw new Error(`EASE sweep worker ${w} took over ${STEP_TIMEOUT_MS / 60_000} minutes on one step; it probably ran out of memory`);
          }
        }
        if (Atomics.load(control, CONTROL.failed + w)) {
          close();
          throw new Error(`EASE sweep worker ${w} failed on rows ${step.k0}–${step.k1 - 1}`);
        }
      }
    },
    close,
  };
}

/**
 * The tiles of the current step, each handed to exactly one thread: whoever is free takes the next,
 * so a thread the OS preempts does not hold the others at the step's end.
 *
 * @example
 * sweepRowTiles(step, claimTiles(control, tiles));
 */
export function* claimTiles(control: Int32Array, tiles: Int32Array): Generator<readonly [number, number]> {
  for (let t = Atomics.add(control, CONTROL.next, 1); t < tiles[0]!; t = Atomics.add(control, CONTROL.next, 1)) {
    yield [tiles[1 + 2 * t]!, tiles[2 + 2 * t]!];
  }
}
