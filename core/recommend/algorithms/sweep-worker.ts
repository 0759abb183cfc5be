/**
 * Worker thread of the EASE block sweep (started by startSweepPool): waits for a step, runs the
 * tiles it claims on its own wasm backend, reports done, until told to exit.
 */
import { workerData } from 'node:worker_threads';
import { initTensorflowBackend } from '../tf-backend.js';
import { sweepRowTiles } from './spd-inverse.js';
import { claimTiles, CONTROL, type SweepWorkerData } from './sweep-pool.js';

const { index, a, n, control, tiles, r, pivot } = workerData as SweepWorkerData;

function signal(slot: number, value: number): void {
  Atomics.store(control, slot, value);
  Atomics.notify(control, slot);
}

try {
  await initTensorflowBackend();
  signal(CONTROL.ready + index, 1);
} catch {
  Atomics.store(control, CONTROL.failed + index, 1);
  signal(CONTROL.ready + index, 1);
}

for (let seen = 0; ;) {
  Atomics.wait(control, CONTROL.generation, seen);
  seen = Atomics.load(control, CONTROL.generation);
  if (Atomics.load(control, CONTROL.exit)) break;
  const k0 = Atomics.load(control, CONTROL.k0);
  const k1 = Atomics.load(control, CONTROL.k1);
  const b = k1 - k0;
  try {
    sweepRowTiles({ a, n, k0, k1, columns: Atomics.load(control, CONTROL.columns), r: r.subarray(0, b * n), pivot: pivot.subarray(0, b * b) }, claimTiles(control, tiles));
  } catch {
    Atomics.store(control, CONTROL.failed + index, 1);
  }
  signal(CONTROL.done + index, seen);
}
