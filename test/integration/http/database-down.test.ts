import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../../adapters/index.js';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isDatabaseUnavailable, openDatabase, queryRows, type Database } from '../../../models/index.js';
import { openTestDatabase, testTargets } from '../../support/database.js';
import { createTestApp } from '../../support/http.js';

/** A logger whose JSON lines are kept, to count what an outage writes. */
function capturingLogger() {
  const lines: Array<{ level: number; msg: string; unloggedSinceLast?: number }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', {}, stream), errors: () => lines.filter((l) => l.level >= 50) };
}

async function expectUnavailable(database: Database, requests = 6) {
  const { logger, errors } = capturingLogger();
  const { app, auth } = createTestApp(database, { logger });
  for (let i = 0; i < requests; i += 1) {
    const res = await request(app).get('/api/courses').set(auth).expect(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body.error.code).toBe('database_unavailable');
  }
  // One error line for the whole burst (they all fall within 10 s), not one per request.
  expect(errors().map((l) => l.msg)).toEqual([expect.stringMatching(/^database unavailable/)]);
  await request(app).get('/readyz').expect(503);
}

describe.each(testTargets())('the API while the database is down (%s)', (target) => {
  it('answers 503 with Retry-After once the database is closed, logging the outage once', async () => {
    const database = await openTestDatabase(target);
    await database.close();
    await expectUnavailable(database);
  });
});

describe('the API with a PostgreSQL server that is not there', () => {
  const run = testTargets().includes('postgres') ? it : it.skip;
  run('answers 503 with Retry-After when the connection is refused', async () => {
    const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test', poolSize: 1 });
    try {
      await expectUnavailable(database, 3);
    } finally {
      await database.close();
    }
  });

  run('recognises a query whose connection an administrator terminated (57P01) as the database being unavailable', async () => {
    const database = await openTestDatabase('postgres');
    const admin = await openTestDatabase('postgres');
    try {
      const marker = `zl-${randomUUID()}`;
      const slow = database.db.execute(sql.raw(`select pg_sleep(30) /* ${marker} */`)).then(() => null, (error: unknown) => error);
      let terminated = 0;
      while (terminated === 0) {
        const rows = await queryRows<{ ok: boolean }>(admin.db, sql`select pg_terminate_backend(pid) as ok from pg_stat_activity where query like ${`%${marker}%`} and pid <> pg_backend_pid()`);
        terminated = rows.length;
      }
      const error = await slow;
      expect((error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code).toBe('57P01');
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(isDatabaseUnavailable(new Error('relation "nope" does not exist'))).toBe(false);
    } finally {
      await admin.close();
      await database.close();
    }
  });
});

describe('isDatabaseUnavailable', () => {
  it('tells a refused HTTP call to another service (a payment provider, say) apart from the database', async () => {
    const closed = createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as AddressInfo).port)));
    await new Promise((resolve) => closed.close(resolve));
    const httpFailure = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect((httpFailure as { cause?: { code?: string } }).cause?.code).toBe('ECONNREFUSED');
    expect(isDatabaseUnavailable(httpFailure)).toBe(false);
  });
});
