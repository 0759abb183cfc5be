import { z } from 'zod';
import { parseInput } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { ConsoleUnitOfWork } from './console-ports.js';
import type { ApiTokenInfo } from './ports.js';
import { hashSecret, newSecret } from './secrets.js';

export const API_TOKEN_PREFIX = 'zl_';

export const issueApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
});

/**
 * Issues an API token for scripts. The plain token is returned once; the database keeps its hash
 * and a short prefix to recognise it in lists.
 *
 * @example
 * const { token, info } = await issueApiToken({ uow, clock }, accountId, { name: 'nightly export' }, actor);
 */
export async function issueApiToken(
  deps: { uow: ConsoleUnitOfWork; clock: Clock },
  accountId: string,
  input: z.input<typeof issueApiTokenSchema>,
  actor: string,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const parsed = parseInput(issueApiTokenSchema, input);
  const token = newSecret(API_TOKEN_PREFIX);
  const expiresAt = parsed.expiresInDays === null ? null : new Date(deps.clock.now().getTime() + parsed.expiresInDays * 86_400_000);
  const info = await deps.uow.run(async (r) => {
    const stored = await r.tokens.insert({ accountId, name: parsed.name, tokenHash: hashSecret(token), prefix: token.slice(0, 10), expiresAt });
    await r.audit.record({ actor, action: 'token.issue', subjectType: 'api_token', subjectId: stored.id, details: { name: stored.name, accountId } });
    return stored;
  });
  return { token, info };
}
