import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  confirmPayment, createPendingOrder, refundOrder, systemClock, ConflictError, ValidationError,
  type Order, type PaymentGateway,
} from '../../../core/index.js';
import { createRepositories, PgUnitOfWork, queryRows, seedDemoAudience, seedDemoCatalogue, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';

describe.each(testTargets())('orders on %s', (target) => {
  let database: Database;
  let deps: { uow: PgUnitOfWork; clock: typeof systemClock };
  let courseId: string;

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    deps = { uow: new PgUnitOfWork(database.db), clock: systemClock };
    courseId = (await createRepositories(database.db).courses.findBySlug('python-zero-to-hero'))!.id;
  });
  afterAll(() => database.close());

  const newFollower = async () =>
    (await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId: randomUUID() })).follower.id;
  const purchases = async (followerId: string) =>
    (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from events where follower_id = ${followerId} and kind = 'purchase'`))[0]!.n;

  it('prices a Stars order in XTR and reuses an open order when asked twice', async () => {
    const followerId = await newFollower();
    const first = await createPendingOrder(deps, { followerId, courseId, provider: 'telegram_stars' });
    expect(first.order).toMatchObject({ currency: 'XTR', amountMinor: 250, status: 'pending' });
    const second = await createPendingOrder(deps, { followerId, courseId, provider: 'telegram_stars' });
    expect(second).toEqual({ order: first.order, isNew: false });
  });

  it('confirms a payment exactly once and grants the course once', async () => {
    const followerId = await newFollower();
    const { order } = await createPendingOrder(deps, { followerId, courseId, provider: 'wechat_pay' });
    const payment = { orderId: order.id, provider: 'wechat_pay' as const, providerChargeId: `tx-${order.id}`, amountMinor: 19900, currency: 'CNY' as const };
    const paid = await confirmPayment(deps, payment);
    expect(paid.isNew).toBe(true);
    expect(paid.order.status).toBe('paid');
    const replay = await confirmPayment(deps, payment);
    expect(replay.isNew).toBe(false);
    expect(await purchases(followerId)).toBe(1);
    expect(await createRepositories(database.db).entitlements.ownedCourseIds(followerId)).toEqual(new Set([courseId]));
    await expect(createPendingOrder(deps, { followerId, courseId, provider: 'wechat_pay' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a payment whose amount differs, leaving the order pending', async () => {
    const followerId = await newFollower();
    const { order } = await createPendingOrder(deps, { followerId, courseId, provider: 'wechat_pay' });
    await expect(
      confirmPayment(deps, { orderId: order.id, provider: 'wechat_pay', providerChargeId: 'tx-cheap', amountMinor: 100, currency: 'CNY' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await createRepositories(database.db).orders.findById(order.id))!.status).toBe('pending');
    expect(await purchases(followerId)).toBe(0);
  });

  it('refunds through the provider, revokes the course, and refuses a second refund', async () => {
    const followerId = await newFollower();
    const { order } = await createPendingOrder(deps, { followerId, courseId, provider: 'telegram_stars' });
    await confirmPayment(deps, { orderId: order.id, provider: 'telegram_stars', providerChargeId: `ch-${order.id}`, amountMinor: 250, currency: 'XTR' });
    const refunded: Order[] = [];
    const gateway: PaymentGateway = {
      provider: 'telegram_stars',
      startPayment: async () => ({ kind: 'telegram_invoice', payload: order.id, currency: 'XTR', amountMinor: 250 }),
      refund: async (o) => {
        refunded.push(o);
        return { refundId: `r-${o.id}` };
      },
    };
    const gateways = new Map([['telegram_stars', gateway]]);
    const result = await refundOrder({ ...deps, gateways }, { orderId: order.id, actor: 'admin:test', reason: 'asked' });
    expect(result.status).toBe('refunded');
    expect(refunded.map((o) => o.id)).toEqual([order.id]);
    expect((await createRepositories(database.db).entitlements.ownedCourseIds(followerId)).size).toBe(0);
    await expect(refundOrder({ ...deps, gateways }, { orderId: order.id, actor: 'admin:test', reason: 'again' })).rejects.toBeInstanceOf(ConflictError);
  });

  it('leaves a paid order untouched when the provider refuses the refund', async () => {
    const followerId = await newFollower();
    const { order } = await createPendingOrder(deps, { followerId, courseId, provider: 'wechat_pay' });
    await confirmPayment(deps, { orderId: order.id, provider: 'wechat_pay', providerChargeId: `tx2-${order.id}`, amountMinor: 19900, currency: 'CNY' });
    const failing: PaymentGateway = {
      provider: 'wechat_pay',
      startPayment: async () => ({ kind: 'wechat_jsapi', params: {} }),
      refund: async () => {
        throw new Error('provider said no');
      },
    };
    await expect(refundOrder({ ...deps, gateways: new Map([['wechat_pay', failing]]) }, { orderId: order.id, actor: 'a', reason: 'r' })).rejects.toThrow('provider said no');
    expect((await createRepositories(database.db).orders.findById(order.id))!.status).toBe('paid');
  });

  it('seeds a deterministic demo audience once, with paid orders and abandoned checkouts', async () => {
    expect(await seedDemoAudience({ db: database.db, clock: systemClock }, { followers: 30 })).toBe(30);
    expect(await seedDemoAudience({ db: database.db, clock: systemClock }, { followers: 30 })).toBe(0);
    const [counts] = await queryRows<{ followers: number; paid: number; pending: number; purchases: number }>(
      database.db,
      sql`select (select count(*)::int from identities where external_id like 'demo-%') as followers,
                 (select count(*)::int from orders o join identities i on i.follower_id = o.follower_id where i.external_id like 'demo-%' and o.status = 'paid') as paid,
                 (select count(*)::int from orders o join identities i on i.follower_id = o.follower_id where i.external_id like 'demo-%' and o.status = 'pending') as pending,
                 (select count(*)::int from events e join identities i on i.follower_id = e.follower_id where i.external_id like 'demo-%' and e.kind = 'purchase') as purchases`,
    );
    expect(counts!.followers).toBe(30);
    expect(counts!.paid).toBeGreaterThan(0);
    expect(counts!.pending).toBeGreaterThan(0);
    expect(counts!.purchases).toBe(counts!.paid);
  });
});
