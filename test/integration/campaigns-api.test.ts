import request from 'supertest';
import { sql } from 'drizzle-orm';
import { dispatchOutbox, type DispatchDeps } from '../../core/campaigns/index.js';
import { createLogger } from '../../adapters/index.js';
import { createCampaignMounts } from '../../bots/wire-jobs.js';
import { broadcastDispatcherJob, CronScheduler, dailyReportJob, modelRetrainJob, retargetingScanJob, segmentRefreshJob } from '../../jobs/index.js';
import { fromWallTime, toWallTime } from '../../core/guards/index.js';
import { queryRows, seedDemoCatalogue, type Database } from '../../models/index.js';
import { createCampaignRepositories, type CampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase, testTargets } from '../support/database.js';
import { createTestApp, TestClock, type TestApp } from '../support/http.js';
import { BotApiSink } from './campaigns-support/bot-api-sink.js';
import { SinkMessenger } from './campaigns-support/sink-messenger.js';
import { seedFollowers } from './campaigns-support/seed-followers.js';

describe.each(testTargets())('campaign admin API on %s', (target) => {
  let database: Database;
  let repos: CampaignRepositories;
  let t: TestApp;
  let clock: TestClock;
  let scheduler: CronScheduler;
  let sink: BotApiSink;
  let deps: DispatchDeps;
  const logger = createLogger('silent');

  beforeAll(async () => {
    database = await openTestDatabase(target);
    await seedDemoCatalogue(database.db);
    repos = createCampaignRepositories(database.db);
    clock = new TestClock(new Date('2026-11-25T04:00:00Z'));
    const jobDeps = { repos, clock, logger, retargetingLimitPerRule: 100 };
    const startOfLocalDay = (instant: Date, timeZone: string) => {
      const w = toWallTime(instant, timeZone);
      return fromWallTime({ year: w.year, month: w.month, day: w.day, hour: 0, minute: 0 }, timeZone);
    };
    scheduler = new CronScheduler({
      schedules: repos.schedules,
      jobs: [
        retargetingScanJob(jobDeps),
        broadcastDispatcherJob(jobDeps),
        segmentRefreshJob(jobDeps),
        modelRetrainJob(undefined, 'no recommender is wired in this process (wireRecommender runs before wireJobs)'),
        dailyReportJob({ ...jobDeps, reportTimeZone: 'Asia/Shanghai', startOfLocalDay }),
      ],
      logger,
      clock,
      instanceId: 'api-test',
      reloadIntervalMs: 60_000,
    });
    await scheduler.start();
    const base = createTestApp(database, { clock });
    t = createTestApp(database, { clock, mounts: createCampaignMounts({ repos, courses: base.repos.courses, clock, scheduler }) });
    sink = new BotApiSink();
    deps = {
      outbox: repos.outbox, caps: repos.caps, guardSettings: repos.guardSettings, content: repos.content, courses: t.repos.courses,
      messengers: new Map([['telegram', new SinkMessenger(await sink.start())]]), clock, logger,
    };
  });
  afterAll(async () => {
    await scheduler.stop();
    await sink.stop();
    await database.close();
  });

  const drain = async () => {
    while ((await dispatchOutbox(deps, { batchSize: 100, leaseMs: 60_000, concurrency: 8, maxAttempts: 3 })).claimed > 0);
  };

  it('validates a broadcast: at most 5 variants, known courses, a time zone it knows', async () => {
    const variant = (key: string) => ({ key, text: { en: `Variant ${key}` } });
    const six = await request(t.app).post('/api/broadcasts').set(t.auth).send({ name: 'x', variants: ['A', 'B', 'C', 'D', 'E', 'F'].map(variant) }).expect(400);
    expect(six.body.error.message).toMatch(/at most 5 variants/);
    const course = await request(t.app).post('/api/broadcasts').set(t.auth)
      .send({ name: 'x', variants: [{ key: 'A', text: { en: 'x' }, courseId: '00000000-0000-4000-8000-000000000000' }] }).expect(422);
    expect(course.body.error.code).toBe('course_not_found');
    const zone = await request(t.app).post('/api/broadcasts').set(t.auth)
      .send({ name: 'x', variants: [variant('A')], sendTime: { mode: 'creator_local', date: '2026-12-01', time: '09:00', timeZone: 'Mars/Olympus' } }).expect(422);
    expect(zone.body.error.code).toBe('invalid_time_zone');
    expect((await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM campaigns`))[0]!.n).toBe(0);
  });

  it('previews a segment, sends an A/B broadcast with a course card, reports progress and results per variant', async () => {
    const course = (await t.repos.courses.findBySlug('phone-photography'))!;
    const ids = await seedFollowers(database.db, 40, { prefix: '81000', timeZone: 'Asia/Shanghai', lastSeenAt: new Date('2026-11-24T00:00:00Z') });
    await database.db.execute(sql`UPDATE followers SET locale = 'zh-CN' WHERE id = ${ids[0]!}::uuid`);
    const segment = { platforms: ['telegram'], activeWithinDays: 3, notOwnsCourseId: course.id };
    const preview = await request(t.app).post('/api/segments/preview').set(t.auth).send({ segment, sampleSize: 5 }).expect(200);
    expect(preview.body.size).toBe(40);
    expect(preview.body.sample).toHaveLength(5);
    expect(preview.body.sample[0]).toMatchObject({ platform: 'telegram', timeZone: 'Asia/Shanghai' });
    await request(t.app).post('/api/segments/preview').set(t.auth).send({ segment: { lifecycle: ['zombie'] } }).expect(400);

    const created = await request(t.app).post('/api/broadcasts').set(t.auth).send({
      name: 'Photo course launch',
      segment,
      variants: [
        { key: 'A', text: { en: 'Learn {course} this winter', 'zh-CN': '这个冬天学《{course}》' }, courseId: course.id },
        { key: 'B', text: { en: 'Take better photos: {course}', 'zh-CN': '拍出好照片：《{course}》' }, courseId: course.id },
      ],
    }).expect(201);
    expect(created.body).toMatchObject({ enqueued: 40, audienceSize: 40, broadcast: { status: 'sending', allocation: 'ab' } });
    const id = created.body.broadcast.id as string;
    await drain();
    const progress = await request(t.app).get(`/api/broadcasts/${id}`).set(t.auth).expect(200);
    expect(progress.body.progress).toMatchObject({ total: 40, sent: 40, delivered: 40, failed: 0, skipped: { total: 0 } });
    const zhMessages = sink.messages.filter((m) => m.text.includes(course.titleZh));
    expect(zhMessages.some((m) => m.text.includes('回复"退订"取消订阅'))).toBe(true);
    expect(sink.messages.some((m) => m.text.includes(course.titleEn) && m.text.endsWith('Reply /stop to unsubscribe'))).toBe(true);

    // Clicks within the attribution window count; one three days later (window 72 h) does not.
    const sent = await queryRows<{ follower_id: string; variant: string; sent_at: Date | string }>(database.db, sql`SELECT follower_id, variant, sent_at FROM outbox WHERE campaign_id = ${id}::uuid ORDER BY follower_id`);
    const expected: Record<string, { sent: number; conversions: number }> = {};
    sent.forEach((row, i) => {
      expected[row.variant] ??= { sent: 0, conversions: 0 };
      expected[row.variant]!.sent += 1;
      if (i % 3 === 0) expected[row.variant]!.conversions += 1;
    });
    for (const [i, row] of sent.entries()) {
      const at = new Date(new Date(row.sent_at).getTime() + (i % 3 === 0 ? 3_600_000 : 80 * 3_600_000));
      await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at) VALUES (${row.follower_id}::uuid, 'click', 'telegram', ${`click-${id}-${i}`}, ${course.id}::uuid, ${at.toISOString()}::timestamptz)`);
    }
    const results = await request(t.app).get(`/api/broadcasts/${id}/results`).set(t.auth).expect(200);
    expect(results.body.allocation).toBe('ab');
    for (const v of results.body.variants as Array<{ variant: string; sent: number; conversions: number; credibleInterval: number[] }>) {
      expect({ sent: v.sent, conversions: v.conversions }).toEqual(expected[v.variant]);
      expect(v.credibleInterval[0]).toBeLessThan(v.credibleInterval[1]!);
    }
    // The scheduler's broadcast-dispatcher completes a finished broadcast on its next minute tick;
    // pause and resume are checked on one that waits for its send time, whatever the wall clock.
    const later = await request(t.app).post('/api/broadcasts').set(t.auth).send({
      name: 'later', segment, sendTime: { mode: 'at', at: new Date(clock.now().getTime() + 86_400_000).toISOString() },
      variants: [{ key: 'A', text: { en: 'Soon: {course}' }, courseId: course.id }],
    }).expect(201);
    const laterId = later.body.broadcast.id as string;
    await request(t.app).post(`/api/broadcasts/${laterId}/pause`).set(t.auth).expect(200);
    const resumeAgain = await request(t.app).post(`/api/broadcasts/${laterId}/pause`).set(t.auth).expect(409);
    expect(resumeAgain.body.error.code).toBe('invalid_transition');
    await request(t.app).post(`/api/broadcasts/${id}/explode`).set(t.auth).expect(400);
    await request(t.app).get('/api/broadcasts/00000000-0000-4000-8000-000000000000').set(t.auth).expect(404);
  });

  it('lists schedules with their next 5 runs, validates edits, and rejects bad cron or zones', async () => {
    const list = await request(t.app).get('/api/schedules').set(t.auth).expect(200);
    expect(list.body.items.map((s: { name: string }) => s.name).sort()).toEqual(['broadcast-dispatcher', 'daily-report', 'model-retrain', 'retargeting-scan', 'segment-refresh']);
    const patched = await request(t.app).patch('/api/schedules/daily-report').set(t.auth).send({ cron: '30 7 * * 1-5', timezone: 'America/New_York' }).expect(200);
    expect(patched.body).toMatchObject({ cron: '30 7 * * 1-5', timezone: 'America/New_York', enabled: true });
    // Clock: Wednesday 2026-11-25 04:00Z = Tuesday 23:00 in New York.
    expect(patched.body.nextRuns).toEqual(['2026-11-25T12:30:00.000Z', '2026-11-26T12:30:00.000Z', '2026-11-27T12:30:00.000Z', '2026-11-30T12:30:00.000Z', '2026-12-01T12:30:00.000Z']);
    const badCron = await request(t.app).patch('/api/schedules/daily-report').set(t.auth).send({ cron: '61 * * * *' }).expect(422);
    expect(badCron.body.error.code).toBe('invalid_schedule');
    await request(t.app).patch('/api/schedules/daily-report').set(t.auth).send({ timezone: 'Nowhere/City' }).expect(422);
    await request(t.app).patch('/api/schedules/daily-report').set(t.auth).send({}).expect(400);
    await request(t.app).patch('/api/schedules/no-such-job').set(t.auth).send({ enabled: false }).expect(404);
    expect((await repos.schedules.get('daily-report'))!.cron).toBe('30 7 * * 1-5');
  });

  it('runs a job now with its history; the retrain job says it is not available rather than pretending', async () => {
    const retrain = await request(t.app).post('/api/schedules/model-retrain/run').set(t.auth).expect(200);
    expect(retrain.body).toMatchObject({ name: 'model-retrain', trigger: 'manual', outcome: 'not_available' });
    expect(retrain.body.result.reason).toMatch(/no recommender is wired/);

    // Yesterday in Shanghai (24 Nov): two followers, a paid order of 19900 fen, three views.
    clock.set(new Date('2026-11-25T00:30:00Z'));
    const day = '2026-11-24T10:00:00Z';
    const [a, b] = await seedFollowers(database.db, 2, { prefix: '82000', timeZone: 'Asia/Shanghai' });
    await database.db.execute(sql`UPDATE followers SET created_at = ${day}::timestamptz WHERE id IN (${a!}::uuid, ${b!}::uuid)`);
    const course = (await t.repos.courses.findBySlug('phone-photography'))!;
    for (const [i, f] of [a, a, b].entries()) {
      await database.db.execute(sql`INSERT INTO events (follower_id, kind, platform, external_id, course_id, occurred_at) VALUES (${f!}::uuid, 'view', 'api', ${`report-view-${i}`}, ${course.id}::uuid, ${day}::timestamptz)`);
    }
    await database.db.execute(sql`INSERT INTO orders (follower_id, course_id, amount_minor, currency, provider, status, paid_at) VALUES (${a!}::uuid, ${course.id}::uuid, 19900, 'CNY', 'manual', 'paid', ${day}::timestamptz)`);
    const report = await request(t.app).post('/api/schedules/daily-report/run').set(t.auth).expect(200);
    expect(report.body.outcome).toBe('ok');
    expect(report.body.result).toMatchObject({ from: '2026-11-23T16:00:00.000Z', to: '2026-11-24T16:00:00.000Z', newFollowers: 2, activeFollowers: 2, paidOrders: 1, revenue: [{ currency: 'CNY', amountMinor: 19900 }] });
    expect(report.body.result.events.view).toBe(3);

    const runs = await request(t.app).get('/api/schedules/daily-report/runs').set(t.auth).expect(200);
    expect(runs.body.items[0]).toMatchObject({ outcome: 'ok', trigger: 'manual', instance: 'api-test' });
    expect(typeof runs.body.items[0].durationMs).toBe('number');
    clock.set(new Date('2026-11-25T04:00:00Z'));
  });

  it('applies schedule edits without a restart: an enabled every-second job fires, a disabled one stops', async () => {
    await request(t.app).patch('/api/schedules/segment-refresh').set(t.auth).send({ cron: '* * * * * *', timezone: 'UTC', enabled: true }).expect(200);
    const waitForRuns = async (name: string, n: number) => {
      for (let i = 0; i < 100; i++) {
        const runs = await repos.schedules.listRuns(name, 100);
        if (runs.filter((r) => r.trigger === 'cron' && r.outcome !== 'running').length >= n) return runs;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the edited schedule ${name} did not fire`);
    };
    const runs = await waitForRuns('segment-refresh', 2);
    expect(runs[0]).toMatchObject({ outcome: 'ok', trigger: 'cron' });
    expect(runs[0]!.result).toHaveProperty('refreshed');
    await request(t.app).patch('/api/schedules/segment-refresh').set(t.auth).send({ enabled: false }).expect(200);
    // Probe, then observe: a second job firing every second shows the scheduler kept ticking. Once
    // the probe has fired (any tick of the disabled job already under way has recorded its run),
    // two more probe runs span at least a full second in which the disabled job would have fired.
    await request(t.app).patch('/api/schedules/daily-report').set(t.auth).send({ cron: '* * * * * *', timezone: 'UTC', enabled: true }).expect(200);
    const probeRuns = (await repos.schedules.listRuns('daily-report', 100)).filter((r) => r.trigger === 'cron').length;
    await waitForRuns('daily-report', probeRuns + 1);
    const before = (await repos.schedules.listRuns('segment-refresh', 100)).length;
    await waitForRuns('daily-report', probeRuns + 3);
    await request(t.app).patch('/api/schedules/daily-report').set(t.auth).send({ enabled: false }).expect(200);
    expect((await repos.schedules.listRuns('segment-refresh', 100)).length).toBe(before);
  });

  it('tunes guard settings and manages retargeting rules seeded with defaults', async () => {
    await request(t.app).put('/api/guard-settings').set(t.auth).send({ dailyCap: 3, weeklyCap: 9, quietHours: { start: '22:00', end: '08:30' } }).expect(200);
    expect(await repos.guardSettings.get()).toEqual({ dailyCap: 3, weeklyCap: 9, quietHours: { start: '22:00', end: '08:30' }, controlPercent: 0 });
    await request(t.app).put('/api/guard-settings').set(t.auth).send({ dailyCap: 3, weeklyCap: 9, quietHours: { start: '24:00', end: '08:30' } }).expect(400);

    const rules = await request(t.app).get('/api/retargeting-rules').set(t.auth).expect(200);
    expect(rules.body.items.map((r: { trigger: string }) => r.trigger).sort()).toEqual(['abandoned_checkout', 'completed_course', 'cross_sell', 'dormant', 'new_course_match', 'stalled_learning', 'viewed_not_bought']);
    const created = await request(t.app).post('/api/retargeting-rules').set(t.auth).send({
      name: 'vip-dormant', trigger: 'dormant', params: { days: 60 }, variants: [{ key: 'A', text: { en: 'We miss you — {course}' } }], maxPerFollower: 2, conversionGoal: 'click',
    }).expect(201);
    expect(created.body).toMatchObject({ allocation: 'bandit', delayMinutes: 0, isEnabled: true, maxPerFollower: 2 });
    await request(t.app).post('/api/retargeting-rules').set(t.auth).send({ ...created.body, id: undefined, createdAt: undefined, updatedAt: undefined }).expect(409);
    const patched = await request(t.app).patch(`/api/retargeting-rules/${created.body.id}`).set(t.auth).send({ isEnabled: false, delayMinutes: 30 }).expect(200);
    expect(patched.body).toMatchObject({ isEnabled: false, delayMinutes: 30, name: 'vip-dormant' });
    await request(t.app).patch(`/api/retargeting-rules/${created.body.id}`).set(t.auth).send({ trigger: 'spam' }).expect(400);
    const results = await request(t.app).get(`/api/retargeting-rules/${created.body.id}/results`).set(t.auth).expect(200);
    expect(results.body.variants).toEqual([expect.objectContaining({ variant: 'A', sent: 0, conversions: 0, conversionRate: 0 })]);
    await request(t.app).delete(`/api/retargeting-rules/${created.body.id}`).set(t.auth).expect(204);
    await request(t.app).get(`/api/retargeting-rules/${created.body.id}`).set(t.auth).expect(404);
  });
});
