import { EventBatcher, MicroBatcher, ValidationError, type RecordEventsDeps, type UnitOfWork } from '../../../core/index.js';
import { createMetrics } from '../../../adapters/index.js';
import { PgUnitOfWork, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MicroBatcher', () => {
  it('flushes items submitted together as one batch and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      await tick(1);
      return items.map((n) => n * 10);
    }, { maxWaitMs: 5 });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes at once when a batch is full, and counts item sizes', async () => {
    const batches: string[][] = [];
    const batcher = new MicroBatcher<string, string>(async (items) => {
      batches.push(items);
      return items;
    }, { maxWaitMs: 10_000, maxSize: 4, sizeOf: ((s: string) => s.length) as (item: never) => number, maxConcurrentFlushes: 4 });
    const started = Date.now();
    await Promise.all(['ab', 'cd', 'efg', 'h'].map((s) => batcher.submit(s)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(batches).toEqual([['ab', 'cd'], ['efg', 'h']]);
  });

  it('collects what arrives while a batch is in flight into the next one', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      await tick(20);
      return items;
    }, { maxWaitMs: 1 });
    const first = batcher.submit(1);
    await tick(5);
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps at most maxConcurrentFlushes batches in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const batcher = new MicroBatcher<number, number>(async (items) => {
      most = Math.max(most, ++inFlight);
      await tick(5);
      inFlight--;
      return items;
    }, { maxWaitMs: 1, maxSize: 1, maxConcurrentFlushes: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => batcher.submit(i)));
    expect(most).toBe(2);
  });

  it('fails only the callers of the batch that failed', async () => {
    const batcher = new MicroBatcher<number, number>(async (items) => {
      if (items.includes(13)) throw new Error('unlucky');
      return items;
    }, { maxWaitMs: 1, maxSize: 2, maxConcurrentFlushes: 2 });
    const outcomes = await Promise.allSettled([12, 13, 14, 15].map((n) => batcher.submit(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
  });
});

describe.each(testTargets())('EventBatcher on %s', (target) => {
  let database: Database;
  let deps: RecordEventsDeps;
  let transactions: number;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    const uow = new PgUnitOfWork(database.db);
    // Counts writes: a transaction, or a single statement outside one.
    const counting: UnitOfWork = {
      run: (work) => { transactions++; return uow.run(work); },
      get repos() { transactions++; return uow.repos; },
    };
    deps = { uow: counting, clock: { now: () => new Date() }, metrics: createMetrics().core };
  });
  beforeEach(() => {
    transactions = 0;
  });
  afterAll(() => database.close());

  const message = (user: string, id: string, extra: Record<string, unknown> = {}) => ({
    kind: 'message', platform: 'telegram', externalId: id, identity: { kind: 'telegram', externalId: user }, payload: { text: 'hi' }, ...extra,
  });

  it('records concurrent callers in one transaction, each with its own results and indexes', async () => {
    const batcher = new EventBatcher(deps, { maxWaitMs: 5 });
    const [a, b, c] = await Promise.all([
      batcher.record([message('u1', 'b:1')]),
      batcher.record([message('u2', 'b:2'), message('u2', 'b:3')]),
      batcher.record([message('u3', 'b:4')]),
    ]);
    expect(transactions).toBe(1);
    expect(a).toEqual([expect.objectContaining({ index: 0, status: 'recorded' })]);
    expect(b!.map((r) => [r.index, r.status])).toEqual([[0, 'recorded'], [1, 'recorded']]);
    expect(c).toEqual([expect.objectContaining({ index: 0, status: 'recorded' })]);
    const followerOf = (r: (typeof b)[number]) => ('followerId' in r ? r.followerId : undefined);
    expect(followerOf(b![0]!)).toBe(followerOf(b![1]!));
    expect(followerOf(a![0]!)).not.toBe(followerOf(b![0]!));
  });

  it('reports a redelivery sharing the batch as a duplicate, as recording it later would', async () => {
    const batcher = new EventBatcher(deps, { maxWaitMs: 5 });
    const [first, again] = await Promise.all([batcher.record([message('u4', 'b:10')]), batcher.record([message('u4', 'b:10')])]);
    expect(first![0]!.status).toBe('recorded');
    expect(again![0]!.status).toBe('duplicate');
  });

  it('fails only the caller whose event is invalid; the others are recorded', async () => {
    const batcher = new EventBatcher(deps, { maxWaitMs: 5 });
    const outcomes = await Promise.allSettled([
      batcher.record([message('u5', 'b:20')]),
      batcher.record([message('u6', 'b:21', { courseId: '00000000-0000-4000-8000-000000000000' })]),
      batcher.record([message('u7', 'b:22')]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    expect((outcomes[0] as PromiseFulfilledResult<Array<{ status: string }>>).value[0]!.status).toBe('recorded');
    expect((outcomes[2] as PromiseFulfilledResult<Array<{ status: string }>>).value[0]!.status).toBe('recorded');
  });
});

describe.each(testTargets())('EventBatcher with admit on %s', (target) => {
  let database: Database;
  let deps: RecordEventsDeps;
  beforeAll(async () => {
    database = await openTestDatabase(target);
    deps = { uow: new PgUnitOfWork(database.db), clock: { now: () => new Date() }, metrics: createMetrics().core };
  });
  afterAll(() => database.close());

  const message = (user: string, id: string) => ({ kind: 'message', platform: 'telegram', externalId: id, identity: { kind: 'telegram', externalId: user }, payload: {} });

  it('checks every ticket of a batch in one call, alongside the events, and answers only the admitted callers', async () => {
    const taken = new Set<number>([2]);
    const admitCalls: number[][] = [];
    const batcher = new EventBatcher<number>(deps, {
      maxWaitMs: 5,
      admit: async (tickets) => {
        admitCalls.push(tickets);
        return tickets.map((t) => (taken.has(t) ? false : (taken.add(t), true)));
      },
    });
    const [a, b, c] = await Promise.all([
      batcher.recordIfAdmitted([message('a1', 'adm:1')], 1),
      batcher.recordIfAdmitted([message('a2', 'adm:2')], 2),
      batcher.record([message('a3', 'adm:3')]),
    ]);
    expect(admitCalls).toEqual([[1, 2]]);
    if (a === 'refused') throw new Error('caller 1 was refused');
    expect(a.results).toEqual([expect.objectContaining({ status: 'recorded' })]);
    // The follower row comes back with the results: a chat reply needs no second read.
    const followerId = 'followerId' in a.results[0]! ? a.results[0].followerId : '';
    expect(a.followers.get(followerId)).toMatchObject({ id: followerId, displayName: null, lastSeenAt: expect.any(Date) });
    expect(b).toBe('refused');
    expect(c).toEqual([expect.objectContaining({ status: 'recorded' })]);
    const again = await batcher.recordIfAdmitted([message('a1', 'adm:1')], 1);
    expect(again).toBe('refused');
  });
});
