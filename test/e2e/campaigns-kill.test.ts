import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { TelegramServer as TelegramServerType } from 'telegram-test-api/lib/telegramServer.js';
import { createBroadcast, enqueueBroadcast } from '../../core/campaigns/index.js';
import { systemClock } from '../../core/index.js';
import { createRepositories, queryRows, type Database } from '../../models/index.js';
import { createCampaignRepositories } from '../../models/repositories/pg-campaign-repositories.js';
import { openTestDatabase } from '../support/database.js';
import { seedFollowers } from '../integration/campaigns-support/seed-followers.js';
import { freePort } from './telegram-support.js';

const TelegramServer = createRequire(import.meta.url)('telegram-test-api') as typeof TelegramServerType;
const TOKEN = '5550077:kill-test-token-abcdefghij';
const url = process.env['TEST_DATABASE_URL'];
const describeWithPostgres = url ? describe : describe.skip;
if (!url) console.warn('campaigns-kill.test.ts skipped: the worker runs in a child process, which needs a PostgreSQL server; set TEST_DATABASE_URL');

/**
 * Sits between the worker and the emulator and decides when the kill lands: in `hold` mode it
 * keeps sendMessage requests without forwarding them, so the worker dies with a send in flight that
 * the platform never saw — the case a naive outbox loses.
 */
class KillSwitchProxy {
  forwarded = 0;
  isHolding = false;
  readonly held: ServerResponse[] = [];
  private server: Server | undefined;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.isHolding && req.url?.endsWith('/sendMessage')) {
          this.held.push(res);
          return;
        }
        fetch(`${this.target}${req.url}`, { method: req.method, headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body: chunks.length ? Buffer.concat(chunks) : undefined })
          .then(async (response) => {
            const body = Buffer.from(await response.arrayBuffer());
            if (req.url?.endsWith('/sendMessage')) this.forwarded += 1;
            res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
            res.end(body);
          })
          .catch(() => res.destroy());
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  dropHeld(): void {
    for (const res of this.held.splice(0)) res.socket?.destroy();
  }

  async stop(): Promise<void> {
    this.dropHeld();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describeWithPostgres('a worker killed mid-broadcast and restarted delivers every message exactly once (telegram-test-api)', () => {
  let database: Database;
  let emulator: TelegramServerType;
  let proxy: KillSwitchProxy;
  let workerEnv: Record<string, string>;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    const [{ schema }] = (await queryRows<{ schema: string }>(database.db, sql`SELECT current_schema() AS schema`)) as [{ schema: string }];
    emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
    await emulator.start();
    proxy = new KillSwitchProxy(emulator.config.apiURL);
    const apiRoot = await proxy.start();
    const databaseUrl = new URL(url!);
    databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
    workerEnv = {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl.toString(),
      DATA_DIR: await mkdtemp(path.join(tmpdir(), 'zhiliao-kill-')),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'false',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_RATE_GLOBAL_PER_SECOND: '100',
      JOBS_ENABLED: 'false',
      DISPATCH_CONCURRENCY: '1',
      DISPATCH_BATCH_SIZE: '10',
      DISPATCH_LEASE_MS: '2000',
      DISPATCH_IDLE_MS: '50',
    };
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await proxy.stop();
    await emulator.stop();
    await database.close();
  });

  const startWorker = () => {
    // node itself with the tsx loader (not the tsx CLI, which would relay signals to a grandchild): SIGKILL hits the worker.
    const worker = spawn(process.execPath, ['--import', 'tsx', path.resolve('bots/worker.ts')], { env: workerEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    worker.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    worker.on('exit', (code, signal) => {
      if (code && code !== 0) console.error(`worker exited ${code} ${signal ?? ''}\n${output}`);
    });
    workers.push(worker);
    return worker;
  };

  it('kills the worker with a send in flight, restarts it, and every follower gets the message once', async () => {
    const repos = createCampaignRepositories(database.db);
    await repos.guardSettings.update({ dailyCap: 10, weeklyCap: 50, quietHours: { start: '00:00', end: '00:00' } });
    const followers = 60;
    const ids = await seedFollowers(database.db, followers, { prefix: '5100', timeZone: 'UTC' });
    const campaign = await createBroadcast({ campaigns: repos.campaigns, courses: createRepositories(database.db).courses, clock: systemClock }, {
      name: 'kill test',
      variants: [{ key: 'A', text: { en: 'Winter sale: every course 20% off' } }],
    }, { id: null, role: 'admin', actor: 'test' });
    expect((await enqueueBroadcast({ campaigns: repos.campaigns, audience: repos.audience, outbox: repos.outbox, clock: systemClock }, campaign.id)).enqueued).toBe(followers);

    const first = startWorker();
    // Generous timeouts: starting a worker (tsx compiling the process) is slow on a loaded machine.
    await waitFor('the first worker to send 20 messages', () => proxy.forwarded >= 20, 90_000);
    proxy.isHolding = true;
    await waitFor('a send to be in flight', () => proxy.held.length > 0);
    first.kill('SIGKILL');
    const [, signal] = (await new Promise((resolve) => first.once('exit', (...args) => resolve(args)))) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    proxy.dropHeld();
    proxy.isHolding = false;
    const sentBeforeKill = proxy.forwarded;
    expect(sentBeforeKill).toBeLessThan(followers);

    const second = startWorker();
    const pending = async () => (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM outbox WHERE campaign_id = ${campaign.id}::uuid AND status IN ('queued', 'sending')`))[0]!.n;
    await waitFor('the restarted worker to finish the broadcast', async () => (await pending()) === 0, 90_000);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));

    // Count what arrived, chat by chat, through the emulator's client route.
    const perChat: number[] = [];
    for (let i = 1; i <= followers; i++) {
      const response = await fetch(`${emulator.config.apiURL}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN, chatId: `5100${i}` }) });
      const body = (await response.json()) as { result: Array<{ message: { text: string } }> };
      perChat.push(body.result.length);
      expect(body.result[0]?.message.text).toBe('Winter sale: every course 20% off\n\nReply /stop to unsubscribe');
    }
    expect(perChat.filter((n) => n !== 1)).toEqual([]);
    expect(perChat.reduce((a, b) => a + b, 0)).toBe(followers);
    const progress = await repos.campaigns.progress(campaign.id);
    expect(progress).toMatchObject({ total: followers, sent: followers, failed: 0 });
    // The message in flight at the kill was taken back after its lease and sent under a recovery key.
    const recovered = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM outbox WHERE campaign_id = ${campaign.id}::uuid AND attempts >= 2`);
    expect(recovered[0]!.n).toBeGreaterThanOrEqual(1);
    expect(ids).toHaveLength(followers);
  }, 240_000);
});
