import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe secret with an optional readable prefix (`zl_…` for API tokens). */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The SHA-256 of a high-entropy secret, hex; what the database keeps instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * What the audit log says instead of an erased follower's id (and platform ids): a one-way
 * pseudonym, so the log keeps what was done without naming them, and whoever still holds the id
 * can check that it was erased.
 *
 * @example
 * erasedPseudonym('7d3c…'); // 'erased:1f2e…'
 */
export function erasedPseudonym(followerId: string): string {
  return `erased:${hashSecret(followerId).slice(0, 24)}`;
}
