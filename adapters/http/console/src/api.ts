/** Calls the admin API with the session cookie and the CSRF token on every change. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = (data as { error?: { code?: string; message?: string } }).error;
    throw new ApiError(res.status, error?.code ?? 'http_error', error?.message ?? res.statusText);
  }
  return data as T;
}

export const money = (amountMinor: number, currency: string): string =>
  currency === 'XTR' ? `${amountMinor} ⭐` : `${currency === 'CNY' ? '¥' : '$'}${(amountMinor / 100).toFixed(2)}`;
