import { MAX_EVENT_BATCH, recordEventsSeeingFollowers, type EventResult, type RecordedEvents, type RecordEventsDeps } from './record-events.js';

export interface MicroBatcherOptions {
  /**
   * How long the first item of a batch waits for company; 2 ms by default. With 0 a batch holds
   * what arrives in the same event-loop turn, plus (when every flush slot is busy) what arrives
   * until one frees: batches then form from the load itself, and an idle item does not wait.
   */
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
  /** The collecting batch's wait: a timer, or (with `maxWaitMs` 0) the end of this event-loop turn. */
  private timer: { cancel(): void } | undefined;
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
      if (this.collecting.length > 0 && this.collectingSize + size > this.maxSize) this.seal();
      this.collecting.push({ item, resolve, reject });
      this.collectingSize += size;
      if (this.collectingSize >= this.maxSize) this.seal();
      else this.timer ??= this.wait(() => this.onWaited());
    });
  }

  private wait(then: () => void): { cancel(): void } {
    if (this.maxWaitMs === 0) {
      const immediate = setImmediate(then);
      return { cancel: () => clearImmediate(immediate) };
    }
    const timeout = setTimeout(then, this.maxWaitMs);
    return { cancel: () => clearTimeout(timeout) };
  }

  /**
   * The first item has waited `maxWaitMs`: the batch goes if a flush slot is free. If none is, it
   * keeps collecting until one frees (a full batch is sealed and queued meanwhile): under load,
   * batches grow instead of queueing up small.
   */
  private onWaited(): void {
    this.timer = undefined;
    if (this.flushing < this.maxConcurrentFlushes) this.seal();
  }

  /** Ends the collecting batch: it is flushed now, or as soon as a flush slot frees. */
  private seal(): void {
    this.timer?.cancel();
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
        if (this.ready.length === 0 && this.collecting.length > 0) this.seal();
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
type GroupOutcome = ({ ok: true } & RecordedEvents) | { ok: false; error: unknown } | { ok: 'refused' };

/** One caller's events, and the ticket {@link EventBatcherOptions.admit} must accept first (if any). */
interface Group<Ticket> {
  inputs: readonly unknown[];
  ticket?: Ticket;
}

export interface EventBatcherOptions<Ticket> extends Omit<MicroBatcherOptions, 'sizeOf'> {
  /**
   * Runs in every batch that holds tickets, alongside the events, and says per ticket whether the
   * caller is admitted (for example: claim each update id; a redelivery is refused). One call per
   * batch. A refused caller gets no results: its events must be idempotent (a redelivery's are
   * duplicates of the first delivery's).
   */
  admit?: (tickets: Ticket[]) => Promise<boolean[]>;
}

/**
 * Records events from many concurrent callers in shared writes (group commit): each
 * `record` call is one caller's events (for example one chat update's), batched with others for at
 * most `maxWaitMs` and up to {@link MAX_EVENT_BATCH} events, then written with one
 * {@link recordEvents} call. Each caller gets exactly the results (indexes included) or the error
 * it would have got alone: when a batch fails — `recordEvents` rejects a whole batch when one item
 * is invalid — its callers' events are recorded again one caller at a time. With `admit`, a
 * caller may pass a ticket that the batch checks first ({@link recordIfAdmitted}).
 *
 * @example
 * const batcher = new EventBatcher(recordEventsDeps, { maxWaitMs: 2 });
 * const [result] = await batcher.record([{ kind: 'message', platform: 'telegram', externalId: 'b1:7', identity }]);
 */
export class EventBatcher<Ticket = never> {
  private readonly batcher: MicroBatcher<Group<Ticket>, GroupOutcome>;
  private readonly admit: ((tickets: Ticket[]) => Promise<boolean[]>) | undefined;

  constructor(
    private readonly deps: RecordEventsDeps,
    options: EventBatcherOptions<Ticket> = {},
  ) {
    this.admit = options.admit;
    this.batcher = new MicroBatcher((groups) => this.flush(groups), {
      maxWaitMs: options.maxWaitMs ?? 2,
      maxSize: Math.min(options.maxSize ?? MAX_EVENT_BATCH, MAX_EVENT_BATCH),
      maxConcurrentFlushes: options.maxConcurrentFlushes ?? 1,
      sizeOf: ((group: Group<Ticket>) => Math.max(1, group.inputs.length)) as (item: never) => number,
    });
  }

  /** Records one caller's events; same contract as {@link recordEvents}. */
  async record(inputs: readonly unknown[]): Promise<EventResult[]> {
    return (await this.recordSeeingFollowers(inputs)).results;
  }

  /** {@link record}, also returning the followers touched (see {@link recordEventsSeeingFollowers}). */
  async recordSeeingFollowers(inputs: readonly unknown[]): Promise<RecordedEvents> {
    // Too big to share a batch, or nothing to share: the caller's own call.
    if (inputs.length === 0 || inputs.length > MAX_EVENT_BATCH) return recordEventsSeeingFollowers(this.deps, inputs);
    const outcome = await this.batcher.submit({ inputs });
    if (outcome.ok === true) return { results: outcome.results, followers: outcome.followers };
    if (outcome.ok === false) throw outcome.error;
    throw new Error('event batch refused a caller without a ticket');
  }

  /**
   * Records one caller's events if `admit` accepts its ticket in the same batch; `'refused'` (and
   * nothing recorded) if not. If `admit` fails, the callers with a ticket get its error. The
   * followers touched come back too (see {@link recordEventsSeeingFollowers}).
   */
  async recordIfAdmitted(inputs: readonly unknown[], ticket: Ticket): Promise<RecordedEvents | 'refused'> {
    if (!this.admit) throw new Error('EventBatcher.recordIfAdmitted needs the admit option');
    if (inputs.length === 0 || inputs.length > MAX_EVENT_BATCH) {
      const [isAdmitted] = await this.admit([ticket]);
      return isAdmitted ? recordEventsSeeingFollowers(this.deps, inputs) : 'refused';
    }
    const outcome = await this.batcher.submit({ inputs, ticket });
    if (outcome.ok === 'refused') return 'refused';
    if (outcome.ok === false) throw outcome.error;
    return { results: outcome.results, followers: outcome.followers };
  }

  /**
   * One batch: the tickets' admission and the events go to the database at the same time (one
   * wait, not two). A refused caller's events are those of the delivery that took the ticket first
   * (same external ids), so they come back as duplicates and are dropped with the refusal.
   */
  private async flush(groups: Array<Group<Ticket>>): Promise<GroupOutcome[]> {
    const outcomes: Array<GroupOutcome | undefined> = new Array(groups.length);
    const ticketed = groups.flatMap((g, i) => (g.ticket !== undefined ? [i] : []));
    const [admission, together] = await Promise.allSettled([
      ticketed.length > 0 ? this.admit!(ticketed.map((i) => groups[i]!.ticket!)) : Promise.resolve([]),
      groups.length === 1 ? this.recordAlone(groups[0]!.inputs).then((outcome) => [outcome]) : this.recordTogether(groups),
    ]);
    ticketed.forEach((i, k) => {
      if (admission.status === 'rejected') outcomes[i] = { ok: false, error: admission.reason };
      else if (!admission.value[k]) outcomes[i] = { ok: 'refused' };
    });
    if (together.status === 'fulfilled') return groups.map((_, i) => outcomes[i] ?? together.value[i]!);
    // One caller's invalid event (or a conflict, such as a deadlock with a concurrent batch)
    // failed the shared statement: nothing of it was written, so each admitted caller's events are
    // recorded on their own and succeed or fail on their own.
    for (let i = 0; i < groups.length; i++) outcomes[i] ??= await this.recordAlone(groups[i]!.inputs);
    return outcomes as GroupOutcome[];
  }

  /** Every group's events in one {@link recordEvents} call, each group's results cut back out. */
  private async recordTogether(groups: Array<Group<Ticket>>): Promise<GroupOutcome[]> {
    const all = await recordEventsSeeingFollowers(this.deps, groups.flatMap((g) => g.inputs));
    let offset = 0;
    return groups.map(({ inputs }) => {
      const results = all.results.slice(offset, offset + inputs.length).map((r) => ({ ...r, index: r.index - offset }));
      offset += inputs.length;
      const followers = new Map(results.flatMap((r) => {
        const follower = 'followerId' in r ? all.followers.get(r.followerId) : undefined;
        return follower ? [[follower.id, follower] as const] : [];
      }));
      return { ok: true, results, followers };
    });
  }

  private async recordAlone(group: readonly unknown[]): Promise<GroupOutcome> {
    try {
      return { ok: true, ...(await recordEventsSeeingFollowers(this.deps, group)) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}
