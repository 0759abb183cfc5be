import { rm } from 'node:fs/promises';
import path from 'node:path';

/** Removes the PGlite template folder that global-setup.js made. */
export default async function globalTeardown() {
  const file = process.env['ZHILIAO_TEST_PGLITE_TEMPLATE'];
  if (file) await rm(path.dirname(file), { recursive: true, force: true });
}
