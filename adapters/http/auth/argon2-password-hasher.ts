import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../../core/index.js';

/** argon2id with the library's defaults (19 MiB, 2 passes), as OWASP recommends. */
export class Argon2PasswordHasher implements PasswordHasher {
  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      // A malformed stored hash is a failed login, never a crash.
      return false;
    }
  }
}
