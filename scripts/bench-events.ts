/*
 * npm run bench:events — events ingested per second through POST /api/events (batches of 100,
 * real HTTP) and through recordEvents/recordEvent directly, on PGlite and on PostgreSQL, plus the
 * time to compute the persona of a follower with 10,000 events. Prints a table.
 *
 * PostgreSQL: DATABASE_URL or TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test when
 * it answers; a fresh schema is created and dropped.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createCoreApiRouter, createHttpApp, createLogger, createMetrics } from '../adapters/index.js';
import { DEMO_ANOMALY_BASELINE, getPersona, recordEvent, recordEvents, RiskMonitor, systemClock, type RecordEventsDeps } from '../core/index.js';
import { createRepositories, PgRiskStore, PgUnitOfWork, seedDemoCatalogue } from '../models/index.js';
import { BENCH_SETTINGS, openBenchDatabase } from './bench-database.js';

const API_EVENTS = BENCH_SETTINGS.apiEvents;
const DIRECT_EVENTS = BENCH_SETTINGS.directEvents;
const SINGLE_EVENTS = 2_000;
const PERSONA_EVENTS = 10_000;
const BATCH = 100;
const CONCURRENCY = 4;
const TOKEN = randomBytes(24).toString('hex');

interface Row { database: string; path: string; events: number; seconds: number; perSecond: number; note: string }


function makeEvents(n: number, followerIds: string[], courseIds: string[], prefix: string): Array<Record<string, unknown>> {
  const kinds = ['view', 'view', 'click', 'like', 'share', 'message'];
  return Array.from({ length: n }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    return {
      kind,
      platform: 'api',
      externalId: `${prefix}-${i}`,
      followerId: followerIds[i % followerIds.length],
      ...(kind === 'message' ? { payload: { text: i % 2 ? '我想学手机摄影和理财' : 'any python courses for data analysis?' } } : { courseId: courseIds[i % courseIds.length] }),
      occurredAt: new Date(Date.now() - (i % 10_000) * 60_000).toISOString(),
    };
  });
}

function progress(label: string, done: number, total: number): void {
  if (process.stdout.isTTY) process.stdout.write(`\r  ${label}: ${done}/${total}`);
  else if (done === total || done % Math.max(1, Math.floor(total / 4)) === 0) console.log(`  ${label}: ${done}/${total}`);
}

async function benchTarget(kind: 'pglite' | 'postgres', rows: Row[], personaTimes: Map<string, number[]>): Promise<void> {
  const database = await openBenchDatabase(kind);
  if (!database) return;
  console.log(`\n${kind}: preparing`);
  try {
    await seedDemoCatalogue(database.db);
    const repos = createRepositories(database.db);
    const courseIds = (await repos.courses.list({ page: 1, pageSize: 100 })).items.map((c) => c.id);
    const followerIds: string[] = [];
    for (let i = 0; i < 1_000; i++) followerIds.push((await repos.followers.resolveIdentity({ kind: 'telegram', externalId: `bench-${i}` })).follower.id);
    const metrics = createMetrics();
    // The risk scorer rides in the event path as every process wires it (bots/core-context.ts).
    const risk = new RiskMonitor({ clock: systemClock, logger: createLogger('silent'), store: new PgRiskStore(database.db), baseline: DEMO_ANOMALY_BASELINE });
    const deps: RecordEventsDeps = { uow: new PgUnitOfWork(database.db), clock: systemClock, metrics: metrics.core, risk };

    // 1. Real HTTP through the express app, batches of 100, a few requests in flight.
    const app = createHttpApp({
      logger: createLogger('silent'), metrics, checkReadiness: () => database.ping(), adminApiToken: TOKEN,
      mounts: [{ path: '/api', access: 'admin', router: createCoreApiRouter({ recordEventsDeps: deps, ...repos, clock: systemClock }) }],
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`;
    const apiEvents = makeEvents(API_EVENTS, followerIds, courseIds, `api-${randomUUID()}`);
    const batches: string[] = [];
    for (let i = 0; i < apiEvents.length; i += BATCH) batches.push(JSON.stringify({ events: apiEvents.slice(i, i + BATCH) }));
    let next = 0;
    let sent = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const body = batches[next++]!;
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } });
        if (res.status !== 201) throw new Error(`POST /api/events answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        sent += BATCH;
        if (sent % (BATCH * 50) === 0 || sent === apiEvents.length) progress('HTTP batches', sent, apiEvents.length);
      }
    }));
    const apiSeconds = (performance.now() - started) / 1000;
    server.close();
    rows.push({ database: kind, path: 'POST /api/events (100/batch, HTTP)', events: apiEvents.length, seconds: apiSeconds, perSecond: apiEvents.length / apiSeconds, note: `${CONCURRENCY} in flight` });

    // 2. recordEvents directly, batches of 100.
    const direct = makeEvents(DIRECT_EVENTS, followerIds, courseIds, `direct-${randomUUID()}`);
    const t2 = performance.now();
    for (let i = 0; i < direct.length; i += BATCH) {
      await recordEvents(deps, direct.slice(i, i + BATCH));
      if ((i / BATCH) % 50 === 0) progress('recordEvents batches', i + BATCH, direct.length);
    }
    const directSeconds = (performance.now() - t2) / 1000;
    rows.push({ database: kind, path: 'recordEvents (100/batch)', events: direct.length, seconds: directSeconds, perSecond: direct.length / directSeconds, note: 'in-process' });

    // 3. recordEvent, one transaction per event.
    const single = makeEvents(SINGLE_EVENTS, followerIds, courseIds, `single-${randomUUID()}`);
    const t3 = performance.now();
    for (const event of single) await recordEvent(deps, event);
    const singleSeconds = (performance.now() - t3) / 1000;
    rows.push({ database: kind, path: 'recordEvent (1/transaction)', events: single.length, seconds: singleSeconds, perSecond: single.length / singleSeconds, note: 'in-process' });

    // 4. Persona of a follower with 10,000 events.
    const heavy = (await repos.followers.resolveIdentity({ kind: 'telegram', externalId: 'bench-heavy' })).follower.id;
    const heavyEvents = makeEvents(PERSONA_EVENTS, [heavy], courseIds, `heavy-${randomUUID()}`);
    for (let i = 0; i < heavyEvents.length; i += 500) await recordEvents(deps, heavyEvents.slice(i, i + 500));
    const personaDeps = { followers: repos.followers, events: repos.events, clock: systemClock };
    await getPersona(personaDeps, heavy);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await getPersona(personaDeps, heavy);
      times.push(performance.now() - t);
    }
    personaTimes.set(kind, times.sort((a, b) => a - b));
    console.log('');
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const personaTimes = new Map<string, number[]>();
  for (const kind of ['pglite', 'postgres'] as const) await benchTarget(kind, rows, personaTimes);

  const targets: Record<string, number> = { pglite: 5_000, postgres: 10_000 };
  console.log('\nIngestion');
  console.table(rows.map((r) => ({
    database: r.database, path: r.path, events: r.events, seconds: r.seconds.toFixed(2), 'events/s': Math.round(r.perSecond),
    target: r.path.startsWith('POST') ? `≥ ${targets[r.database]}` : '', met: r.path.startsWith('POST') ? (r.perSecond >= targets[r.database]! ? 'yes' : 'NO') : '',
  })));
  console.log(`Persona of a follower with ${PERSONA_EVENTS.toLocaleString()} events (30 runs)`);
  console.table([...personaTimes].map(([database, t]) => ({
    database, 'p50 ms': t[Math.floor(t.length * 0.5)]!.toFixed(1), 'p95 ms': t[Math.floor(t.length * 0.95)]!.toFixed(1), target: '< 50 ms', met: t[Math.floor(t.length * 0.95)]! < 50 ? 'yes' : 'NO',
  })));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
