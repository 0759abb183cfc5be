import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { sql } from 'drizzle-orm';
import { createLogger } from '../../adapters/index.js';
import { createRecommenderExperimentsRouter } from '../../adapters/http/routes/recommender-experiments.js';
import { buildRecommender } from '../../bots/wire-recommender.js';
import { ExposureLog, variantOf, type RecommenderExperiment } from '../../core/experiments/index.js';
import { RANKER_FEATURES } from '../../core/recommend/index.js';
import type { Repositories } from '../../core/index.js';
import { createRepositories, PgAuditLogReader, queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { TEST_ADMIN_TOKEN, TestClock } from '../support/http.js';
import { createMpTestApp } from './mp/mp-app.js';
import { code2SessionServer, listen, paymentNotification, rsaKeys, successfulTransaction, wechatPayServer } from './mp/wechat-fakes.js';

type Item = { course: { id: string }; score: number };
type Who = { token: string; followerId: string; openId: string };

/** Every weight of the blend at 0: the ranker's output is sigmoid(-2) for every course, which shows the variant reached the ranker. */
const FLAT_BLEND = Object.fromEntries(RANKER_FEATURES.map((f) => [f, 0]));
const FLAT_SCORE = Math.round((1 / (1 + Math.exp(2))) * 1e4) / 1e4;
/** Followers are logged in until each variant has this many (assignment hashes the experiment's random id). */
const PER_VARIANT = 3;

/*
 * A recommender experiment end to end, on the real express app: created and started through
 * /api, followers served their sticky variant through GET /mp/recommendations (the chain every
 * channel uses), exposures written by the exposure log, conversions recorded through the real
 * event paths (mini-program events, /api/events, a WeChat Pay notification), and results read
 * back through the same computation as a broadcast's.
 */
describe.each(testTargets())('recommender experiments through /api and /mp on %s', (target) => {
  let database: Database;
  let app: Express;
  let repos: Repositories;
  let servers: Server[];
  let engine: ReturnType<typeof buildRecommender>;
  const platform = rsaKeys();
  const merchant = rsaKeys();
  const clock = new TestClock(new Date());
  const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    const code2Session = code2SessionServer();
    const pay = wechatPayServer(merchant.publicKey, platform.privateKey);
    servers = [code2Session.server, pay.server];
    const [wechatBase, payBase] = await Promise.all(servers.map(listen));
    engine = buildRecommender({ db: database.db, repos: createRepositories(database.db), clock, logger: createLogger('silent') });
    const experiments = createRecommenderExperimentsRouter({ experiments: engine.experiments.repository, clock, onChanged: engine.experiments.invalidate });
    ({ app, repos } = createMpTestApp(database, {
      clock, code2SessionBase: wechatBase, pay: { apiBase: payBase!, merchantPrivateKey: merchant.privateKey, platformPublicKey: platform.publicKey },
      recommender: engine.recommender, mounts: [{ path: '/api', router: experiments, access: 'admin' }],
    }));
  });
  afterAll(async () => {
    await engine.experiments.exposures.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    await database.close();
  });

  const login = async (): Promise<Who> => {
    const openId = `o-${randomUUID()}`;
    const res = await request(app).post('/mp/login').send({ code: `ok:${openId}` }).expect(201);
    return { token: res.body.token as string, followerId: res.body.follower.id as string, openId };
  };
  const recommendations = async (who: Who): Promise<Item[]> =>
    (await request(app).get('/mp/recommendations?limit=3').set('Authorization', `Bearer ${who.token}`).expect(200)).body.items as Item[];
  const exposures = (followerId: string) =>
    queryRows<{ variant: string; course_ids: string[] | string; channel: string }>(database.db, sql`SELECT variant, course_ids::text[] AS course_ids, channel FROM recommender_exposures WHERE follower_id = ${followerId}::uuid ORDER BY exposed_at`);
  const mpEvent = (who: Who, kind: 'click' | 'view', courseId: string) =>
    request(app).post('/mp/events').set('Authorization', `Bearer ${who.token}`).send({ events: [{ kind, clientEventId: randomUUID(), courseId }] }).expect(201);
  const buy = async (who: Who, courseId: string) => {
    const order = (await request(app).post('/mp/orders').set('Authorization', `Bearer ${who.token}`).send({ courseId }).expect(201)).body.order as { id: string; amount: { amountMinor: number } };
    const tx = successfulTransaction(order.id, order.amount.amountMinor, who.openId, { at: clock.now() });
    const notification = paymentNotification(platform.privateKey, tx);
    await request(app).post('/mp/pay/notify').set(notification.headers).send(notification.body).expect(204);
    return order.amount.amountMinor;
  };

  it('refuses malformed experiments with a 400 naming the problem', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'x', variants: [{ sharePercent: 100 }] }, /2 to 4 variants/],
      [{ name: 'x', variants: [{ sharePercent: 60 }, { sharePercent: 60 }] }, /add up to 100%/],
      [{ name: 'x', variants: [{ sharePercent: 50 }, { sharePercent: 50, blendWeights: { popularity: 2 } }] }, /untrained_blend/],
      [{ name: 'x', variants: [{ sharePercent: 50 }, { sharePercent: 50, mmrLambda: 1.5 }] }, /mmrLambda/],
    ];
    for (const [body, message] of cases) {
      const res = await request(app).post('/api/recommender-experiments').set(auth).send(body).expect(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('serves each consenting follower a sticky variant in every request, logs the lists, and attributes conversions per variant', async () => {
    const created = await request(app).post('/api/recommender-experiments').set(auth).send({
      name: 'Production ranker vs flat blend',
      attributionHours: 24,
      variants: [
        { label: 'production', sharePercent: 50 },
        { label: 'flat blend', sharePercent: 50, ranker: 'untrained_blend', mmrLambda: 0.5, disabledGenerators: ['content'], blendWeights: FLAT_BLEND },
      ],
    }).expect(201);
    const experiment = created.body.experiment as RecommenderExperiment & { variants: Array<{ descriptionZh: string; descriptionEn: string }> };
    expect(experiment.status).toBe('draft');
    expect(experiment.variants.map((v) => v.key)).toEqual(['A', 'B']);
    expect(experiment.variants[1]!.descriptionEn).toContain('Ranking: the untrained blend of signals · Diversity: 0.5 (1 is relevance only; lower is more varied)');
    expect(experiment.variants[1]!.descriptionEn).toContain('Candidate sources off: similar course content');
    expect(experiment.variants[1]!.descriptionZh).toContain('关闭的候选来源：课程内容相似度');

    // Nothing changes while it is a draft.
    const early = await login();
    await recommendations(early);
    await engine.experiments.exposures.flush();
    expect(await exposures(early.followerId)).toEqual([]);

    expect((await request(app).post(`/api/recommender-experiments/${experiment.id}/start`).set(auth).expect(200)).body.experiment.status).toBe('running');
    const other = (await request(app).post('/api/recommender-experiments').set(auth).send({ name: 'second', variants: [{ sharePercent: 50 }, { sharePercent: 50, mmrLambda: 1 }] }).expect(201)).body.experiment as { id: string };
    expect((await request(app).post(`/api/recommender-experiments/${other.id}/start`).set(auth).expect(409)).body.error.code).toBe('recommender_experiment_running');

    const followers: Who[] = [];
    const count = (key: string) => followers.filter((who) => variantOf(experiment, who.followerId).key === key).length;
    while ((count('A') < PER_VARIANT || count('B') < PER_VARIANT) && followers.length < 60) followers.push(await login());
    const withoutConsent = await login();
    await repos.followers.update(withoutConsent.followerId, { hasPersonalizationConsent: false });

    const shown = new Map<string, string[]>();
    for (const who of followers) {
      const first = await recommendations(who);
      const second = await recommendations(who);
      expect(first).toHaveLength(3);
      expect(second.map((i) => i.course.id)).toEqual(first.map((i) => i.course.id));
      shown.set(who.followerId, first.map((i) => i.course.id));
      // The flat blend scores every course sigmoid(-2); production's blend scores them higher.
      const scores = first.map((i) => i.score);
      if (variantOf(experiment, who.followerId).key === 'B') expect(scores).toEqual([FLAT_SCORE, FLAT_SCORE, FLAT_SCORE]);
      else expect(Math.min(...scores)).toBeGreaterThan(FLAT_SCORE);
    }
    await recommendations(withoutConsent);
    await engine.experiments.exposures.flush();

    const inVariant = { A: [] as Who[], B: [] as Who[] };
    for (const who of followers) {
      const key = variantOf(experiment, who.followerId).key as 'A' | 'B';
      inVariant[key].push(who);
      const rows = await exposures(who.followerId);
      expect(rows.map((r) => r.variant)).toEqual([key, key]);
      expect(rows.map((r) => r.channel)).toEqual(['miniprogram', 'miniprogram']);
      expect(rows[0]!.course_ids).toEqual(shown.get(who.followerId));
    }
    expect(await exposures(withoutConsent.followerId)).toEqual([]);
    expect(inVariant.A.length).toBeGreaterThanOrEqual(PER_VARIANT);
    expect(inVariant.B.length).toBeGreaterThanOrEqual(PER_VARIANT);

    const [a1, a2] = inVariant.A as [Who, Who];
    const [b1, b2] = inVariant.B as [Who, Who];
    // A: a click and a checkout on a shown course by the same follower — one converted follower.
    await mpEvent(a1, 'click', shown.get(a1.followerId)![0]!);
    await request(app).post('/api/events').set(auth).send({ events: [{ kind: 'checkout', platform: 'api', externalId: randomUUID(), followerId: a1.followerId, courseId: shown.get(a1.followerId)![0]! }] }).expect(201);
    // A view is not a conversion; neither is a click on a course the follower was not shown.
    await mpEvent(a1, 'view', shown.get(a1.followerId)![1]!);
    const all = (await repos.courses.list({ page: 1, pageSize: 100, status: 'on_sale' })).items.map((c) => c.id);
    const notShown = all.find((id) => !shown.get(b1.followerId)!.includes(id))!;
    await mpEvent(b1, 'click', notShown);
    // B: a purchase of a shown course through WeChat Pay — an attributed purchase with its revenue.
    const paidMinor = await buy(b2, shown.get(b2.followerId)![0]!);
    // A click after the window has closed does not count.
    clock.advance(25 * 3_600_000);
    await request(app).post('/api/events').set(auth).send({ events: [{ kind: 'click', platform: 'api', externalId: randomUUID(), followerId: a2.followerId, courseId: shown.get(a2.followerId)![0]! }] }).expect(201);

    const results = (await request(app).get(`/api/recommender-experiments/${experiment.id}/results`).set(auth).expect(200)).body;
    expect(results.variants.map((v: { variant: string; sent: number; conversions: number }) => ({ variant: v.variant, sent: v.sent, conversions: v.conversions }))).toEqual([
      { variant: 'A', sent: inVariant.A.length, conversions: 1 },
      { variant: 'B', sent: inVariant.B.length, conversions: 1 },
    ]);
    expect(results.variants[0].versusControl).toBeNull();
    expect(results.variants[1].credibleInterval).toHaveLength(2);
    expect(results.outcomes).toEqual([
      { variant: 'A', lists: 2 * inVariant.A.length, clicks: 1, checkouts: 1, purchases: 0, revenue: [] },
      { variant: 'B', lists: 2 * inVariant.B.length, clicks: 0, checkouts: 0, purchases: 1, revenue: [{ currency: 'CNY', amountMinor: paidMinor }] },
    ]);

    // Stopped: everyone is served production again and nothing more is logged; the results stay.
    expect((await request(app).post(`/api/recommender-experiments/${experiment.id}/stop`).set(auth).expect(200)).body.experiment.status).toBe('stopped');
    // (A new session: the clock has moved past the first one's lifetime.)
    const after = await recommendations({ ...b1, token: (await request(app).post('/mp/login').send({ code: `ok:${b1.openId}` }).expect(200)).body.token as string });
    expect(after.every((i) => i.score > FLAT_SCORE)).toBe(true);
    await engine.experiments.exposures.flush();
    expect(await exposures(b1.followerId)).toHaveLength(2);
    expect((await request(app).post(`/api/recommender-experiments/${experiment.id}/start`).set(auth).expect(409)).body.error.code).toBe('recommender_experiment_not_draft');

    const audit = await new PgAuditLogReader(database.db).page({ subjectType: 'recommender_experiment', subjectId: experiment.id }, { limit: 10, offset: 0 });
    expect(audit.items.map((r) => r.action).reverse()).toEqual(['recommender_experiment.create', 'recommender_experiment.start', 'recommender_experiment.stop']);
    expect(audit.items.at(-1)!.actor).toBe('admin-api-token');
  });

  it('keeps serving while exposures cannot be written, and writes each list once when the table is back', async () => {
    const created = (await request(app).post('/api/recommender-experiments').set(auth).send({ name: 'outage', variants: [{ sharePercent: 50 }, { sharePercent: 50, mmrLambda: 1 }] }).expect(201)).body.experiment as { id: string };
    await request(app).post(`/api/recommender-experiments/${created.id}/start`).set(auth).expect(200);
    const who = await login();
    const count = async () => (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM recommender_exposures WHERE experiment_id = ${created.id}::uuid`))[0]!.n;

    await queryRows(database.db, sql`ALTER TABLE recommender_exposures RENAME TO recommender_exposures_away`);
    try {
      expect(await recommendations(who)).toHaveLength(3);
      expect(await recommendations(who)).toHaveLength(3);
      await engine.experiments.exposures.flush();
    } finally {
      await queryRows(database.db, sql`ALTER TABLE recommender_exposures_away RENAME TO recommender_exposures`);
    }
    expect(await count()).toBe(0);
    await engine.experiments.exposures.flush();
    expect(await count()).toBe(2);
    await engine.experiments.exposures.flush();
    expect(await count()).toBe(2);

    // A list recorded twice (a retried batch) is written once.
    const exposure = { listId: randomUUID(), experimentId: created.id, variant: 'A', followerId: who.followerId, courseIds: [], channel: 'telegram', exposedAt: clock.now() };
    await engine.experiments.repository.recordExposures([exposure, exposure]);
    await engine.experiments.repository.recordExposures([exposure]);
    expect(await count()).toBe(3);

    // A long outage: beyond maxPending the oldest waiting lists are dropped (and reported), the rest written later.
    const failures: Array<[number, number]> = [];
    const log = new ExposureLog(engine.experiments.repository, createLogger('silent'), { maxPending: 2, onFailed: (waiting, dropped) => failures.push([waiting, dropped]) });
    const lists = [1, 2, 3].map(() => ({ ...exposure, listId: randomUUID() }));
    await queryRows(database.db, sql`ALTER TABLE recommender_exposures RENAME TO recommender_exposures_away`);
    try {
      for (const list of lists) log.record(list);
      await log.flush();
    } finally {
      await queryRows(database.db, sql`ALTER TABLE recommender_exposures_away RENAME TO recommender_exposures`);
    }
    expect(failures).toEqual([[2, 1]]);
    await log.stop();
    const written = await queryRows<{ list_id: string }>(database.db, sql`SELECT list_id FROM recommender_exposures WHERE list_id IN (${lists[0]!.listId}::uuid, ${lists[1]!.listId}::uuid, ${lists[2]!.listId}::uuid)`);
    expect(written.map((r) => r.list_id).sort()).toEqual([lists[1]!.listId, lists[2]!.listId].sort());
    await request(app).post(`/api/recommender-experiments/${created.id}/stop`).set(auth).expect(200);
  });
});
