import * as tf from '@tensorflow/tfjs-core';
// Registers the plain-JS 'cpu' backend, the fallback below (the wasm backend also pulls it in).
import '@tensorflow/tfjs-backend-cpu';
import type { Logger } from '../ports/index.js';

export type TensorflowBackend = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<TensorflowBackend> | undefined;

/**
 * Whether the active backend runs matrix products natively or in WebAssembly (not plain JS), so
 * dense O(n³) work such as the EASE inverse is worth handing to it.
 *
 * @example
 * await initTensorflowBackend(); if (hasFastTensorflowBackend()) { ... }
 */
export function hasFastTensorflowBackend(): boolean {
  const backend = tf.getBackend();
  return backend === 'wasm' || backend === 'tensorflow';
}

/**
 * Picks the fastest TensorFlow.js backend that loads here: the native `@tensorflow/tfjs-node`
 * (optional, often not installable), else WebAssembly (about 30× faster than plain JS), else CPU.
 * Idempotent: later calls return the first choice. Logs which one.
 *
 * @example
 * const backend = await initTensorflowBackend(logger); // 'wasm'
 */
export function initTensorflowBackend(logger?: Pick<Logger, 'info' | 'warn'>): Promise<TensorflowBackend> {
  chosen ??= choose(logger);
  return chosen;
}

async function choose(logger?: Pick<Logger, 'info' | 'warn'>): Promise<TensorflowBackend> {
  // A variable specifier keeps bundlers and tsc from requiring the optional package to exist.
  const nativePackage = '@tensorflow/tfjs-node';
  try {
    await import(nativePackage);
    if (await tf.setBackend('tensorflow')) {
      await tf.ready();
      logger?.info({ backend: 'tensorflow' }, 'TensorFlow.js backend: native tfjs-node');
      return 'tensorflow';
    }
  } catch {
    // not installed: fall through to wasm
  }
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      logger?.info({ backend: 'wasm' }, 'TensorFlow.js backend: wasm (tfjs-node not available)');
      return 'wasm';
    }
  } catch (error) {
    logger?.warn({ err: error }, 'TensorFlow.js wasm backend failed to load; using cpu');
  }
  await tf.setBackend('cpu');
  await tf.ready();
  logger?.info({ backend: 'cpu' }, 'TensorFlow.js backend: cpu (slow; install @tensorflow/tfjs-node or check tfjs-backend-wasm)');
  return 'cpu';
}
