import type { Server } from 'node:http';
import type { Logger } from '../adapters/index.js';

/** Something the process starts and must stop on shutdown: a bot, a job scheduler, a sender. */
export interface Service {
  name: string;
  start(): Promise<void>;
  /** Stops taking new work and finishes what is in flight. */
  stop(): Promise<void>;
}

/** Why a channel is on or off, for the start-up log. */
export interface ChannelStatus {
  channel: string;
  isOn: boolean;
  reason: string;
}

/** Closes an HTTP server: stops accepting connections, lets in-flight requests finish. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

/**
 * Exits once the log lines written so far have reached their destination: process.exit drops what
 * the logger still buffers, and the last lines ("shutdown complete") are the ones an operator reads.
 */
function exitAfterFlush(logger: Logger, code: number): void {
  const exit = () => process.exit(code);
  setTimeout(exit, 1_000).unref();
  try {
    logger.flush(exit);
  } catch {
    exit();
  }
}

/**
 * Runs `shutdown` once on SIGINT/SIGTERM, bounded by a timeout; a second signal exits at once.
 *
 * @example
 * onShutdownSignal(logger, 10_000, async () => { await closeServer(server); await database.close(); });
 */
export function onShutdownSignal(logger: Logger, timeoutMs: number, shutdown: () => Promise<void>): void {
  let isShuttingDown = false;
  let firstSignalAt = 0;
  const handle = (signal: string) => {
    // Ctrl-C reaches both the tsx/npm wrappers and this process, and tsx relays it once more: a
    // repeat within a second is the same keypress, not a request to force the exit.
    if (isShuttingDown && Date.now() - firstSignalAt < 1_000) return;
    if (isShuttingDown) {
      logger.warn({ signal }, 'second signal: exiting now');
      exitAfterFlush(logger, 1);
    }
    isShuttingDown = true;
    firstSignalAt = Date.now();
    logger.info({ signal, timeoutMs }, 'shutting down: stopping intake, draining, closing the database');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      exitAfterFlush(logger, 1);
    }, timeoutMs);
    timer.unref();
    shutdown().then(
      () => {
        logger.info({}, 'shutdown complete');
        exitAfterFlush(logger, 0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        exitAfterFlush(logger, 1);
      },
    );
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}
