import type { DialogMemory, DialogMemoryStore } from '../ports/dialog-memory.js';

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs one statement at a time over everything asked meanwhile: while a statement is in flight,
 * new keys queue, and the next statement takes them all (group commit, as the events batcher).
 */
class Coalescer<K, V, R> {
  private queued = new Map<K, { value: V; waiters: Array<Waiter<R>> }>();
  private isBusy = false;

  constructor(private readonly flush: (batch: Map<K, V>) => Promise<Map<K, R>>) {}

  /** Queues `value` under `key` (a later value for the same key replaces it) and resolves with its result. */
  add(key: K, value: V): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const entry = this.queued.get(key);
      if (entry) {
        entry.value = value;
        entry.waiters.push({ resolve, reject });
      } else this.queued.set(key, { value, waiters: [{ resolve, reject }] });
      if (!this.isBusy) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.isBusy = true;
    while (this.queued.size > 0) {
      const batch = this.queued;
      this.queued = new Map();
      try {
        const results = await this.flush(new Map([...batch].map(([key, entry]) => [key, entry.value])));
        for (const [key, entry] of batch) for (const waiter of entry.waiters) waiter.resolve(results.get(key) as R);
      } catch (error) {
        for (const entry of batch.values()) for (const waiter of entry.waiters) waiter.reject(error);
      }
    }
    this.isBusy = false;
  }
}

/**
 * A {@link DialogMemoryStore} front that makes concurrent chat turns share statements: the reads
 * asked while one read is in flight go together in the next one, and so do the writes. Every
 * turn reads and most turns write the memory; without this, on embedded PGlite (one connection)
 * those statements queue behind each other and cost throughput. A follower's writes keep their
 * order: a write queued while another is in flight is sent after it.
 *
 * @example
 * const memory = new BatchedDialogMemoryStore(new PgDialogMemoryStore(db));
 * const [a, b] = await Promise.all([memory.recallOne(idA), memory.recallOne(idB)]); // one statement
 */
export class BatchedDialogMemoryStore implements DialogMemoryStore {
  private readonly reads: Coalescer<string, true, DialogMemory | null>;
  private readonly writes: Coalescer<string, DialogMemory, undefined>;

  constructor(private readonly inner: DialogMemoryStore) {
    this.reads = new Coalescer(async (batch) => {
      const found = await inner.recall([...batch.keys()]);
      return new Map([...batch.keys()].map((id) => [id, found.get(id) ?? null]));
    });
    this.writes = new Coalescer(async (batch) => {
      await inner.remember([...batch].map(([followerId, memory]) => ({ followerId, memory })));
      return new Map();
    });
  }

  /** One follower's stored memory, read together with the other turns' reads. */
  recallOne(followerId: string): Promise<DialogMemory | null> {
    return this.reads.add(followerId, true);
  }

  /** Stores one follower's memory, written together with the other turns' writes. */
  async rememberOne(followerId: string, memory: DialogMemory): Promise<void> {
    await this.writes.add(followerId, memory);
  }

  async recall(followerIds: readonly string[]): Promise<Map<string, DialogMemory>> {
    const found = await Promise.all(followerIds.map(async (id) => [id, await this.recallOne(id)] as const));
    return new Map(found.flatMap(([id, memory]) => (memory ? [[id, memory] as const] : [])));
  }

  async remember(entries: ReadonlyArray<{ followerId: string; memory: DialogMemory }>): Promise<void> {
    await Promise.all(entries.map((e) => this.rememberOne(e.followerId, e.memory)));
  }
}
