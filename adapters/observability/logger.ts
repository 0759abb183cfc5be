import { pino, type DestinationStream, type Logger } from 'pino';

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
 * The process logger: JSON lines to stdout (or `destination`), secrets redacted.
 *
 * @example
 * const logger = createLogger('info');
 * logger.info({ port }, 'http listening');
 */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const options = { level, base: { pid: process.pid, ...bindings }, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
