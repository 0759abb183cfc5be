/**
 * Worker thread of the EASE block sweep (started by startSweepPool): waits for a step, runs the
 * tiles assigned to it on its own wasm backend, reports done, until told to exit.
 */
import { workerData } from 'node:worker_threads';
import { initTensorflowBackend } from '../tf-backend.js';
import { sweepRowTiles } from './spd-inverse.js';
import { CONTROL, type SweepWorkerData } from './sweep-pool.js';

const { index, a, n, control, tiles, r, rt, pivot } = workerData as SweepWorkerData;

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
  const mine: Array<readonly [number, number]> = [];
  for (let t = 0; t < tiles[0]!; t++) {
    if (tiles[3 + 3 * t] === index + 1) mine.push([tiles[1 + 3 * t]!, tiles[2 + 3 * t]!]);
  }
  try {
    sweepRowTiles({ a, n, k0, k1, r: r.subarray(0, b * n), rt: rt.subarray(0, n * b), pivot: pivot.subarray(0, b * b) }, mine);
  } catch {
    Atomics.store(control, CONTROL.failed + index, 1);
  }
  signal(CONTROL.done + index, seen);
}
