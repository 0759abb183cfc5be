import { z } from 'zod';
import { AccessDeniedError, parseInput } from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import { hasScope, TOKEN_SCOPES, type Principal } from './account.js';
import type { ConsoleUnitOfWork } from './console-ports.js';
import type { ApiTokenInfo } from './ports.js';
import { hashSecret, newSecret } from './secrets.js';

export const API_TOKEN_PREFIX = 'zl_';
/** A token nobody gave a lifetime lives this long; none lives for ever. */
export const DEFAULT_TOKEN_TTL_DAYS = 90;
export const MAX_TOKEN_TTL_DAYS = 365;

export const issueApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_TTL_DAYS).default(DEFAULT_TOKEN_TTL_DAYS),
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1)
    .default(['read', 'write'])
    .transform((scopes) => [...new Set(scopes)]),
});

/**
 * Issues an API token for scripts, owned by the caller's account, expiring after `expiresInDays`
 * (90 by default, at most 365) with the given scopes (`read` and `write` by default). A caller
 * cannot hand out more than it holds: `admin` only from an admin, and a token only the scopes it
 * has itself (AccessDeniedError otherwise). The plain token is returned once; the database keeps
 * its hash and a short prefix to recognise it in lists.
 *
 * @example
 * const { token, info } = await issueApiToken({ uow, clock }, principal, { name: 'nightly export', scopes: ['read'] });
 */
export async function issueApiToken(
  deps: { uow: ConsoleUnitOfWork; clock: Clock },
  issuer: Principal & { id: string },
  input: z.input<typeof issueApiTokenSchema>,
): Promise<{ token: string; info: ApiTokenInfo }> {
  const parsed = parseInput(issueApiTokenSchema, input);
  const beyond = parsed.scopes.filter((scope) => !hasScope(issuer, scope) || (scope === 'admin' && issuer.role !== 'admin'));
  if (beyond.length > 0) {
    throw new AccessDeniedError('scope_not_held', `You cannot issue a token with the ${beyond.join(', ')} scope: you do not hold it yourself.`);
  }
  const token = newSecret(API_TOKEN_PREFIX);
  const expiresAt = new Date(deps.clock.now().getTime() + parsed.expiresInDays * 86_400_000);
  const info = await deps.uow.run(async (r) => {
    const stored = await r.tokens.insert({ accountId: issuer.id, name: parsed.name, tokenHash: hashSecret(token), prefix: token.slice(0, 10), scopes: parsed.scopes, expiresAt });
    await r.audit.record({
      actor: issuer.actor,
      action: 'token.issue',
      subjectType: 'api_token',
      subjectId: stored.id,
      details: { name: stored.name, accountId: issuer.id, scopes: stored.scopes, expiresAt: stored.expiresAt },
    });
    return stored;
  });
  return { token, info };
}
