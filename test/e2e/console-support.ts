import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCoreApiRouter, createHttpApp, createLogger } from '../../adapters/index.js';
import type { Database } from '../../models/index.js';
import { loadConfig } from '../../bots/config/index.js';
import { createCoreContext, type CoreContext } from '../../bots/core-context.js';
import { CONSOLE_DIST_DIR, wireConsole } from '../../bots/wire-console.js';
import { wireJobs } from '../../bots/wire-jobs.js';
import { wireRisk } from '../../bots/wire-risk.js';
import { emptyWiring } from '../../bots/wiring.js';
import { TEST_ADMIN_TOKEN } from '../support/http.js';
import { SinkMessenger } from '../integration/campaigns-support/sink-messenger.js';

export const ARTIFACTS = 'test-artifacts/console';
export const CHROMIUM = '/usr/bin/chromium';
/**
 * Outside CI a missing browser skips this file with a message; in CI (`CI` set, where
 * .ci/install-system-packages installs chromium) it must run, so a missing browser fails there.
 */
const isChromiumMissingLocally = !existsSync(CHROMIUM) && !process.env['CI'];
if (isChromiumMissingLocally) {
  console.warn(`console browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium, or set CI=1 to make its absence fail).`);
}
export const describeWithChromium = isChromiumMissingLocally ? describe.skip : describe;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };
/** A zone where it is daytime now, so the default quiet hours (21:00–09:00 local) hold nothing back. */
export function daytimeZone(now = new Date()): string {
  const zones = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Auckland', 'America/Sao_Paulo', 'Pacific/Honolulu', 'UTC'];
  const hourIn = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now));
  return zones.find((z) => hourIn(z) >= 10 && hourIn(z) <= 18) ?? 'Asia/Shanghai';
}

/**
 * The all-in-one composition over a test database: the foundation API, `wireJobs` (campaign
 * routes, scheduler, outbox dispatcher) sending through a Telegram-style Bot API on a local HTTP
 * sink, and `wireConsole` (first admin from ADMIN_EMAIL, console routes, auth) — the same wiring
 * functions the process runs.
 */
export async function startAllInOne(database: Database, sinkUrl: string) {
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    DATA_DIR: await mkdtemp(path.join(tmpdir(), 'zhiliao-console-')),
    ADMIN_API_TOKEN: TEST_ADMIN_TOKEN,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    DISPATCH_IDLE_MS: '50',
  });
  const ctx = createCoreContext(config, database, createLogger('silent'));
  const { logger, metrics } = ctx;
  const wiring = emptyWiring();
  wiring.mounts.push({ path: '/api', router: createCoreApiRouter({ recordEventsDeps: ctx.recordEventsDeps, ...ctx.repos, clock: ctx.clock }), access: 'admin' });
  wiring.messengers.set('telegram', new SinkMessenger(sinkUrl));
  wiring.channels.push({ channel: 'telegram', isOn: true, reason: `Bot API at ${sinkUrl} (test sink)` });
  await wireRisk(ctx, wiring, { withApi: true });
  await wireJobs(ctx, wiring);
  await wireConsole(ctx, wiring);
  const app = createHttpApp({ logger, metrics, checkReadiness: () => database.ping(), adminApiToken: TEST_ADMIN_TOKEN, adminAuth: wiring.adminAuth, mounts: wiring.mounts });
  for (const service of wiring.services) await service.start();
  return { app, ctx, services: wiring.services };
}

/** Followers who come in on Telegram (real follow and message events through the core) and accept marketing, as the bot's consent prompt records it. */
export async function seedSubscribers(app: Express, ctx: CoreContext, count: number, timeZone: string): Promise<string[]> {
  const events = Array.from({ length: count }, (_, i) => {
    const identity = { kind: 'telegram', externalId: String(7_100_000 + i), displayName: `订阅者 ${i + 1}`, locale: i % 3 === 0 ? 'en' : 'zh-CN', timeZone };
    return [
      { kind: 'follow', platform: 'telegram', identity, externalId: `sub-${i}-follow` },
      // Each in their own words: a dozen accounts sending one text in the same second is what risk control flags as a spam ring.
      { kind: 'message', platform: 'telegram', identity, externalId: `sub-${i}-msg`, payload: { text: i % 2 ? `想学摄影，第 ${i} 号` : `python 入门 #${i}` } },
    ];
  }).flat();
  const res = await request(app).post('/api/events').set('Authorization', `Bearer ${TEST_ADMIN_TOKEN}`).send({ events }).expect(201);
  const ids = [...new Set((res.body.results as { followerId: string }[]).map((r) => r.followerId))];
  for (const id of ids) await ctx.repos.followers.update(id, { hasMarketingConsent: true });
  return ids;
}

/** The all-in-one app listening on a free local port (building the console first if it is not built), and how to stop it. */
export async function serveConsole(database: Database, sinkUrl: string) {
  if (!existsSync(`${CONSOLE_DIST_DIR}/index.html`)) execFileSync('npm', ['run', 'build:console'], { stdio: 'inherit' });
  mkdirSync(ARTIFACTS, { recursive: true });
  const started = await startAllInOne(database, sinkUrl);
  const server: Server = await new Promise((resolve) => {
    const s = started.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    await new Promise((resolve) => server.close(resolve));
    for (const service of [...started.services].reverse()) await service.stop();
  };
  return { ...started, base, stop };
}

/** Headless Chromium at /usr/bin/chromium. */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** Logs a tab in through the console's login form and waits for the navigation. */
export async function logIn(page: Page, base: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}/console/`);
  await page.fill('input[name=email]', who.email);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav a[data-page="dashboard"]');
}

/** Closes what a console test file opened, in reverse order; any part may be missing when its beforeAll failed part way. */
export async function closeConsole(parts: { browser?: Browser; served?: { stop(): Promise<void> }; sink?: { stop(): Promise<unknown> }; database?: Database }): Promise<void> {
  await parts.browser?.close();
  await parts.served?.stop();
  await parts.sink?.stop();
  await parts.database?.close();
}
