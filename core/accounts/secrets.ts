import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe secret with an optional readable prefix (`zl_…` for API tokens). */
export function newSecret(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** The SHA-256 of a high-entropy secret, hex; what the database keeps instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
