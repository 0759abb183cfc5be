import type { z } from 'zod';

/**
 * The few error classes the core throws for unexpected or refused work. Each carries a stable
 * `code` that edges map to an HTTP status or a chat apology in exactly one place, a message that
 * says how to fix the problem (never a secret), and optional structured `details`.
 *
 * @example
 * throw new NotFoundError('follower_not_found', `No follower with id ${id}; create it by sending an event with an identity.`);
 */
export class ZhiliaoError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that does not match what the operation accepts (maps to 400/422). */
export class ValidationError extends ZhiliaoError {}

/** A referenced entity does not exist (maps to 404). */
export class NotFoundError extends ZhiliaoError {}

/** The request conflicts with the current state, such as paying an order twice (maps to 409). */
export class ConflictError extends ZhiliaoError {}

/** The caller is not allowed to do this (maps to 401/403). */
export class AccessDeniedError extends ZhiliaoError {}

/** Something this operation depends on cannot be reached or is not running here (maps to 503). */
export class UnavailableError extends ZhiliaoError {}

/** Input of the wrong shape: a missing field, a wrong type, a value out of range (maps to 400). */
export class MalformedInputError extends ValidationError {}

/**
 * Parses `input` with a zod schema, so that no ZodError leaves the core: a mismatch becomes a
 * {@link MalformedInputError} (code `invalid_request`) listing every issue by path, the same shape
 * every edge already answers for malformed requests.
 *
 * @example
 * const segment = parseInput(segmentSchema, input.segment, 'segment'); // throws MalformedInputError, never ZodError
 */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown, what?: string): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const pathOf = (path: readonly PropertyKey[]) => [...(what ? [what] : []), ...path.map(String)].join('.') || 'input';
  const issues = result.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
  throw new MalformedInputError('invalid_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues, { cause: result.error });
}
