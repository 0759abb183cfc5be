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
