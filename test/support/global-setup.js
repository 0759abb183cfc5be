import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

/** Names the migrated PGlite tarball; test/support/database.ts reads it (PGLITE_TEMPLATE_VARIABLE). */
const PGLITE_TEMPLATE_VARIABLE = 'ZHILIAO_TEST_PGLITE_TEMPLATE';

/**
 * Once per `jest` run: migrate one PGlite and keep its data directory as a tarball in a temporary
 * folder; openTestDatabase loads it instead of running initdb and the migrations in every file.
 * Workers inherit the variable that names it. Plain JavaScript because jest loads global setup
 * outside its transform; tsx loads the TypeScript model code.
 */
export default async function globalSetup() {
  const { writePgliteTemplate } = await tsImport('../../models/scratch-database.ts', import.meta.url);
  const dir = await mkdtemp(path.join(tmpdir(), 'zhiliao-pglite-'));
  const file = path.join(dir, 'migrated.tar');
  await writePgliteTemplate(file);
  process.env[PGLITE_TEMPLATE_VARIABLE] = file;
}
