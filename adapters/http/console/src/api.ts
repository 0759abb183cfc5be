/** Calls the admin API with the session cookie and the CSRF token on every change. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** One problem with a field of the request, as the server's validation names it (`path` like `params.hours` or `variants.0.text`). */
export interface FieldIssue { path: string; message: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: FieldIssue[] = []) {
    super(message);
  }
}

const isFieldIssue = (x: unknown): x is FieldIssue =>
  typeof x === 'object' && x !== null && typeof (x as FieldIssue).path === 'string' && typeof (x as FieldIssue).message === 'string';

/**
 * The server's validation messages by field path, to show next to each field; empty for other errors.
 *
 * @example
 * issuesByPath(new ApiError(400, 'invalid_request', '…', [{ path: 'params.hours', message: 'Too small' }])); // { 'params.hours': 'Too small' }
 */
export function issuesByPath(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(error.issues.map((i) => [i.path, i.message]));
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  // The console's own language (the app keeps it on <html lang>): validation messages come back in it.
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': document.documentElement.lang || navigator.language };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } }).error;
    const issues = Array.isArray(error?.details) ? error.details.filter(isFieldIssue) : [];
    throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? res.statusText, issues);
  }
  return data as T;
}

export const money = (amountMinor: number, currency: string): string =>
  currency === 'XTR' ? `${amountMinor} ⭐` : `${currency === 'CNY' ? '¥' : '$'}${(amountMinor / 100).toFixed(2)}`;
