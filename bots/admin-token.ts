import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A secret from configuration when set; otherwise one generated on first start and kept in
 * `<DATA_DIR>/<file>` (mode 600), so the demo works without configuration, restarts keep the same
 * value, and the secret never appears in a log (only the file's path does).
 *
 * @example
 * const { secret, source } = await resolveGeneratedSecret({ configured: config.adminApiToken, variable: 'ADMIN_API_TOKEN', dataDir, file: 'admin-api-token' });
 */
export async function resolveGeneratedSecret(options: {
  configured: string | undefined;
  variable: string;
  dataDir: string;
  file: string;
  bytes?: number;
}): Promise<{ secret: string; source: string }> {
  if (options.configured) return { secret: options.configured, source: options.variable };
  const bytes = options.bytes ?? 24;
  const file = path.join(options.dataDir, options.file);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= Math.ceil((bytes * 4) / 3)) return { secret: stored, source: file };
  } catch {
    // first start: generate below
  }
  await mkdir(options.dataDir, { recursive: true });
  const secret = randomBytes(bytes).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: file };
}

/** The admin API token: ADMIN_API_TOKEN, or one generated into `<DATA_DIR>/admin-api-token`. */
export async function resolveAdminApiToken(configured: string | undefined, dataDir: string): Promise<{ token: string; source: string }> {
  const { secret, source } = await resolveGeneratedSecret({ configured, variable: 'ADMIN_API_TOKEN', dataDir, file: 'admin-api-token' });
  return { token: secret, source };
}
