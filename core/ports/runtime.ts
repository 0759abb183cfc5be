/** Where the current time comes from; tests pass a controllable clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Structured logger; pino satisfies it. Log objects first, message second, and never a secret. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Counters the core reports to; the edge turns them into Prometheus metrics. */
export interface CoreMetrics {
  eventsRecorded(kind: string, count: number): void;
}

export const noMetrics: CoreMetrics = { eventsRecorded: () => undefined };
