import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { Express } from 'express';
import { createStarsRefundRouter } from '../../adapters/telegram/index.js';
import { confirmPayment, createPendingOrder, systemClock, type Account, type Order, type PaymentGateway } from '../../core/index.js';
import { createRepositories, PgUnitOfWork, queryRows, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { addAccount, createConsoleTestApp, logInAgent } from './console-support.js';

/** Stands in for Telegram's refundStarPayment (an external service): answers after a short wait, like the network. */
class RecordingStarsGateway implements PaymentGateway {
  readonly provider = 'telegram_stars' as const;
  readonly refunded: string[] = [];
  async startPayment(): Promise<never> {
    throw new Error('not used');
  }
  async refund(order: Order): Promise<{ refundId: string }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.refunded.push(order.id);
    return { refundId: `r-${order.id}` };
  }
}

describe.each(testTargets())('POST /api/orders/:id/refund access (%s)', (target) => {
  let database: Database;
  let app: Express;
  let alice: Account;
  let aliceCourseId: string;
  const gateway = new RecordingStarsGateway();

  beforeAll(async () => {
    database = await openTestDatabase(target);
    const repos = createRepositories(database.db);
    const uow = new PgUnitOfWork(database.db);
    const router = createStarsRefundRouter({ repos, uow, clock: systemClock, provider: 'telegram_stars', gatewayFor: async () => gateway });
    app = createConsoleTestApp(database, { mounts: [{ path: '/api/orders', router, access: 'admin' }] });
    await addAccount(database, 'admin', 'admin@example.com');
    alice = await addAccount(database, 'creator', 'alice@example.com');
    await addAccount(database, 'creator', 'bob@example.com');
    const { agent, csrf } = await logInAgent(app, 'alice@example.com');
    const created = await agent.post('/api/courses').set(csrf).send({ slug: 'alice-stars', titleZh: '课程', titleEn: 'Course', priceMinor: 19900, currency: 'CNY', priceStars: 250, status: 'on_sale' }).expect(201);
    aliceCourseId = created.body.id;
  });
  afterAll(() => database.close());

  const paidOrder = async (): Promise<string> => {
    const deps = { uow: new PgUnitOfWork(database.db), clock: systemClock };
    const followerId = (await createRepositories(database.db).followers.resolveIdentity({ kind: 'telegram', externalId: randomUUID() })).follower.id;
    const { order } = await createPendingOrder(deps, { followerId, courseId: aliceCourseId, provider: 'telegram_stars' });
    await confirmPayment(deps, { orderId: order.id, provider: 'telegram_stars', providerChargeId: `ch-${order.id}`, amountMinor: order.amountMinor, currency: order.currency });
    return order.id;
  };
  const statusOf = async (orderId: string) => (await queryRows<{ status: string }>(database.db, sql`select status from orders where id = ${orderId}`))[0]!.status;
  const refundActors = async (orderId: string) =>
    (await queryRows<{ actor: string }>(database.db, sql`select actor from audit_log where action = 'order.refunded' and subject_id = ${orderId}`)).map((r) => r.actor);

  it('answers 404 to a creator who does not own the course, the same as for an unknown order, and refunds nothing', async () => {
    const orderId = await paidOrder();
    const bob = await logInAgent(app, 'bob@example.com');
    const denied = await bob.agent.post(`/api/orders/${orderId}/refund`).set(bob.csrf).send({ reason: 'mine now' }).expect(404);
    const unknown = await bob.agent.post(`/api/orders/${randomUUID()}/refund`).set(bob.csrf).send({ reason: 'x' }).expect(404);
    expect(denied.body.error.code).toBe(unknown.body.error.code);
    expect(await statusOf(orderId)).toBe('paid');
    expect(gateway.refunded).not.toContain(orderId);
  });

  it('lets the creator who owns the course refund, and audits the creator as the actor', async () => {
    const orderId = await paidOrder();
    const session = await logInAgent(app, 'alice@example.com');
    const res = await session.agent.post(`/api/orders/${orderId}/refund`).set(session.csrf).send({ reason: 'asked' }).expect(200);
    expect(res.body.order.status).toBe('refunded');
    expect(await refundActors(orderId)).toEqual([`account:${alice.id}`]);
  });

  it('lets an admin refund any order, audited under the admin account or the admin token', async () => {
    const byAccount = await paidOrder();
    const admin = await logInAgent(app, 'admin@example.com');
    await admin.agent.post(`/api/orders/${byAccount}/refund`).set(admin.csrf).send({ reason: 'asked' }).expect(200);
    const [actor] = await refundActors(byAccount);
    expect(actor).toMatch(/^account:[0-9a-f-]{36}$/);
    expect(actor).not.toBe(`account:${alice.id}`);

    const byToken = await paidOrder();
    await request(app).post(`/api/orders/${byToken}/refund`).set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({}).expect(200);
    expect(await refundActors(byToken)).toEqual(['admin-api-token']);
  });
});
