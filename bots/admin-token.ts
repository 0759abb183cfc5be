import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The admin API token: ADMIN_API_TOKEN when set; otherwise one generated on first start and kept
 * in `<DATA_DIR>/admin-api-token` (mode 600), so the demo works without configuration and the
 * token never appears in a log.
 */
export async function resolveAdminApiToken(configured: string | undefined, dataDir: string): Promise<{ token: string; source: string }> {
  if (configured) return { token: configured, source: 'ADMIN_API_TOKEN' };
  const file = path.join(dataDir, 'admin-api-token');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 24) return { token: stored, source: file };
  } catch {
    // first start: generate below
  }
  await mkdir(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, source: file };
}
