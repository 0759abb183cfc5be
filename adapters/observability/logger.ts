import { pino, type Logger } from 'pino';

/** Paths pino blanks out wherever they appear, so secrets never reach a log line. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'res.headers["set-cookie"]',
  '*.token',
  '*.password',
  '*.secret',
  '*.session_key',
  '*.sessionKey',
  '*.apiKey',
];

/**
 * The process logger: JSON lines to stdout, secrets redacted.
 *
 * @example
 * const logger = createLogger('info');
 * logger.info({ port }, 'http listening');
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings }, redact: { paths: REDACT, censor: '[redacted]' } });
}

export type { Logger };
