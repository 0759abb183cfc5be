import { z } from 'zod';

export const ROLES = ['admin', 'creator'] as const;
/** `admin` may do everything; `creator` manages their own courses, broadcasts and results. */
export type Role = (typeof ROLES)[number];

export interface Account {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  isDisabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date | null;
}

/**
 * What an issued API token may do: `read` (GET), `write` (changes), `admin` (the admin role of an
 * admin's account; without it an admin's token acts as a creator over that account's own courses).
 */
export const TOKEN_SCOPES = ['read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who is calling: a logged-in account, an API token's account, or the configured admin API token (id null). */
export interface Principal {
  id: string | null;
  role: Role;
  /** How the audit log names this caller, e.g. `account:<uuid>` or `admin-api-token`. */
  actor: string;
  /** An issued API token's scopes; absent for sessions and the admin API token, which hold them all. */
  scopes?: readonly TokenScope[];
}

/** Whether the caller holds a scope (sessions and the admin API token hold every scope). */
export function hasScope(principal: Principal, scope: TokenScope): boolean {
  return principal.scopes === undefined || principal.scopes.includes(scope);
}

export const MIN_PASSWORD_LENGTH = 10;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'expected an email address' }));

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, 'use at most 200 characters');

export const newAccountSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  displayName: z.string().trim().max(100).default(''),
  role: z.enum(ROLES),
});
export type NewAccountInput = z.input<typeof newAccountSchema>;

/** The audit actor of an account. */
export const accountActor = (accountId: string): string => `account:${accountId}`;

/** Whether a caller may change a course owned by `creatorId`: admins always, creators only their own. */
export function canManageCourse(principal: Principal, creatorId: string | null): boolean {
  return principal.role === 'admin' || (principal.id !== null && principal.id === creatorId);
}
