import { MAX_EVENT_BATCH, recordEvents, type EventResult, type RecordEventsDeps } from './record-events.js';

export interface MicroBatcherOptions {
  /** How long the first item of a batch waits for company; 2 ms by default. */
  maxWaitMs?: number;
  /** A batch is flushed at once when it holds this much (counted with `sizeOf`); 100 by default. */
  maxSize?: number;
  /**
   * Batches in flight at once; 1 by default. More than one lets a slow batch not hold up the next,
   * at the price of concurrent transactions (which may conflict; callers must cope).
   */
  maxConcurrentFlushes?: number;
  /** How much one submitted item counts towards `maxSize`; 1 by default. */
  sizeOf?: (item: never) => number;
}

interface Pending<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for any batched call: items submitted while a batch is collecting (at most
 * `maxWaitMs`, or until `maxSize`) go to `flushBatch` together, and each caller gets its own
 * result. At most `maxConcurrentFlushes` batches are in flight; when all slots are busy, what
 * arrives forms the next batch and goes as soon as a slot frees, so under load batches grow by
 * themselves and when idle an item waits at most `maxWaitMs`.
 *
 * `flushBatch` returns one result per item, in order; if it throws, every caller of that batch
 * gets the error (wrap it to retry items one by one, as {@link EventBatcher} does).
 *
 * @example
 * const claims = new MicroBatcher<number, boolean>((ids) => repo.claimMany(ids), { maxWaitMs: 2 });
 * const isMine = await claims.submit(updateId);
 */
export class MicroBatcher<In, Out> {
  private collecting: Array<Pending<In, Out>> = [];
  private collectingSize = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly ready: Array<Array<Pending<In, Out>>> = [];
  private flushing = 0;
  private readonly maxWaitMs: number;
  private readonly maxSize: number;
  private readonly maxConcurrentFlushes: number;
  private readonly sizeOf: (item: In) => number;

  constructor(
    private readonly flushBatch: (items: In[]) => Promise<Out[]>,
    options: MicroBatcherOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 2;
    this.maxSize = options.maxSize ?? 100;
    this.maxConcurrentFlushes = options.maxConcurrentFlushes ?? 1;
    this.sizeOf = (options.sizeOf as ((item: In) => number) | undefined) ?? (() => 1);
  }

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      const size = this.sizeOf(item);
      // An item that would overflow the collecting batch starts the next one.
      if (this.collecting.length > 0 && this.collectingSize + size > this.maxSize) this.close();
      this.collecting.push({ item, resolve, reject });
      this.collectingSize += size;
      if (this.collectingSize >= this.maxSize) this.close();
      else this.timer ??= setTimeout(() => this.close(), this.maxWaitMs);
    });
  }

  /** Ends the collecting batch: it is flushed now, or as soon as a flush slot frees. */
  private close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.collecting.length === 0) return;
    this.ready.push(this.collecting);
    this.collecting = [];
    this.collectingSize = 0;
    this.pump();
  }

  private pump(): void {
    while (this.flushing < this.maxConcurrentFlushes && this.ready.length > 0) {
      const batch = this.ready.shift()!;
      this.flushing++;
      void this.flush(batch).finally(() => {
        this.flushing--;
        // What arrived while every slot was busy has already waited that long: it goes now.
        if (this.ready.length === 0 && this.collecting.length > 0) this.close();
        else this.pump();
      });
    }
  }

  private async flush(batch: Array<Pending<In, Out>>): Promise<void> {
    try {
      const results = await this.flushBatch(batch.map((p) => p.item));
      if (results.length !== batch.length) throw new Error(`batch flush returned ${results.length} results for ${batch.length} items`);
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (error) {
      batch.forEach((p) => p.reject(error));
    }
  }
}

/** One caller's outcome inside a batch: its results, or the error its own events caused. */
type GroupOutcome = { ok: true; results: EventResult[] } | { ok: false; error: unknown };

/**
 * Records events from many concurrent callers in shared transactions (group commit): each
 * `record` call is one caller's events (for example one chat update's), batched with others for at
 * most `maxWaitMs` and up to {@link MAX_EVENT_BATCH} events, then written with one
 * {@link recordEvents} call. Each caller gets exactly the results (indexes included) or the error
 * it would have got alone: when a batch fails — `recordEvents` rejects a whole batch when one item
 * is invalid — its callers' events are recorded again one caller at a time.
 *
 * @example
 * const batcher = new EventBatcher(recordEventsDeps, { maxWaitMs: 2 });
 * const [result] = await batcher.record([{ kind: 'message', platform: 'telegram', externalId: 'b1:7', identity }]);
 */
export class EventBatcher {
  private readonly batcher: MicroBatcher<readonly unknown[], GroupOutcome>;

  constructor(
    private readonly deps: RecordEventsDeps,
    options: Omit<MicroBatcherOptions, 'sizeOf'> = {},
  ) {
    this.batcher = new MicroBatcher((groups) => this.flush(groups), {
      maxWaitMs: options.maxWaitMs ?? 2,
      maxSize: Math.min(options.maxSize ?? MAX_EVENT_BATCH, MAX_EVENT_BATCH),
      maxConcurrentFlushes: options.maxConcurrentFlushes ?? 1,
      sizeOf: ((group: readonly unknown[]) => Math.max(1, group.length)) as (item: never) => number,
    });
  }

  /** Records one caller's events; same contract as {@link recordEvents}. */
  async record(inputs: readonly unknown[]): Promise<EventResult[]> {
    // Too big to share a batch, or nothing to share: the caller's own call.
    if (inputs.length === 0 || inputs.length > MAX_EVENT_BATCH) return recordEvents(this.deps, inputs);
    const outcome = await this.batcher.submit(inputs);
    if (!outcome.ok) throw outcome.error;
    return outcome.results;
  }

  private async flush(groups: Array<readonly unknown[]>): Promise<GroupOutcome[]> {
    if (groups.length === 1) return [await this.recordAlone(groups[0]!)];
    try {
      const all = await recordEvents(this.deps, groups.flat());
      let offset = 0;
      return groups.map((group) => {
        const results = all.slice(offset, offset + group.length).map((r) => ({ ...r, index: r.index - offset }));
        offset += group.length;
        return { ok: true, results };
      });
    } catch {
      // One caller's invalid event (or a conflict, such as a deadlock with a concurrent batch)
      // failed the shared transaction: nothing of it was written, so each caller's events are
      // recorded on their own and succeed or fail on their own.
      const outcomes: GroupOutcome[] = [];
      for (const group of groups) outcomes.push(await this.recordAlone(group));
      return outcomes;
    }
  }

  private async recordAlone(group: readonly unknown[]): Promise<GroupOutcome> {
    try {
      return { ok: true, results: await recordEvents(this.deps, group) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
