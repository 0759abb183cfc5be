import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';
import {
  Argon2PasswordHasher,
  createAccountsRouter,
  createAdminCourseContentRouter,
  createCourseLearningRouter,
  createAdminCoursesRouter,
  createAdminFollowersRouter,
  createAuditLogRouter,
  createAuthRouter,
  createConsoleAuth,
  createConsoleStaticRouter,
  createDashboardRouter,
  createInboxRouter,
  createCommerceRouter,
  createReferralsRouter,
  createOpenApiRouter,
  createSettingsRouter,
  createTokensRouter,
  type ChannelDetails,
  type ChannelInfo,
  type Mount,
} from '../adapters/index.js';
import { ensureFirstAdmin, type Clock, type Logger, type Messenger, type PasswordHasher, type Platform } from '../core/index.js';
import {
  createConsoleRepositories, createRepositories, PgAuditLogReader, PgConsoleUnitOfWork, PgDashboardQueries, PgExportQueries, PgHandoffRepository, PgLearningRepository, PgUnitOfWork, type Db,
} from '../models/index.js';
import { resolveAdminApiToken, resolveGeneratedSecret } from './admin-token.js';
import type { Config } from './config/index.js';
import type { CoreContext } from './core-context.js';
import type { Wiring } from './wiring.js';

export const CONSOLE_DIST_DIR = fileURLToPath(new URL('../adapters/http/console/dist', import.meta.url));

export interface ConsoleParts {
  /** Mounts that must come before any other `/api` mount (login is public; console routes override the catalogue list). */
  firstMounts: Mount[];
  mounts: Mount[];
  adminAuth: RequestHandler;
  hasher: PasswordHasher;
}

/**
 * The console's routers and auth over one database; used by `wireConsole` and by the tests, so
 * both run the same composition.
 *
 * @example
 * const parts = createConsoleParts({ db, clock, console: config.console, adminApiToken, channels: () => [], logger });
 */
export function createConsoleParts(deps: {
  db: Db;
  clock: Clock;
  console: Config['console'];
  adminApiToken?: string;
  channels: () => ChannelInfo[];
  distDir?: string;
  hasher?: PasswordHasher;
  /** Details shown next to each channel's status in Settings (e.g. `telegramBotDetails`). */
  channelDetails?: () => Promise<Record<string, ChannelDetails>>;
  /** The chat bots of this process (`wiring.messengers`, read per request): inbox replies go through them. */
  messengers?: ReadonlyMap<Platform, Messenger>;
  logger: Logger;
}): ConsoleParts {
  const uow = new PgConsoleUnitOfWork(deps.db);
  const hasher = deps.hasher ?? new Argon2PasswordHasher();
  const adminAuth = createConsoleAuth({ repos: createConsoleRepositories(deps.db), clock: deps.clock, adminApiToken: deps.adminApiToken });
  const auth = createAuthRouter({
    uow,
    hasher,
    clock: deps.clock,
    auth: adminAuth,
    sessionTtlMs: deps.console.sessionTtlMs,
    maxFailures: deps.console.maxLoginFailures,
    lockoutWindowMs: deps.console.lockoutWindowMs,
    isSecureCookie: deps.console.isSecureCookie,
  });
  const api = [
    createAccountsRouter({ uow, hasher, clock: deps.clock }),
    createTokensRouter({ uow, clock: deps.clock }),
    createAdminCoursesRouter({ uow }),
    createAdminCourseContentRouter({ uow }),
    createCourseLearningRouter({ uow, reports: new PgLearningRepository(deps.db), clock: deps.clock }),
    createAdminFollowersRouter({ uow }),
    createDashboardRouter({ dashboard: new PgDashboardQueries(deps.db), uow, clock: deps.clock }),
    createSettingsRouter({ uow, channels: deps.channels, ...(deps.channelDetails ? { channelDetails: deps.channelDetails } : {}) }),
    createAuditLogRouter({ audit: new PgAuditLogReader(deps.db) }),
    createInboxRouter(inboxDeps(deps)),
    createCommerceRouter({ uow, exports: new PgExportQueries(deps.db), now: () => deps.clock.now() }),
    createReferralsRouter({ uow: new PgUnitOfWork(deps.db), clock: deps.clock }),
  ];
  return {
    firstMounts: [
      { path: '/api/auth', router: auth, access: 'public' },
      { path: '/api', router: createOpenApiRouter(), access: 'public' },
      ...api.map((router): Mount => ({ path: '/api', router, access: 'admin' })),
    ],
    mounts: [{ path: '/console', router: createConsoleStaticRouter(deps.distDir ?? CONSOLE_DIST_DIR), access: 'public' }],
    adminAuth,
    hasher,
  };
}

/** The inbox's reads and its reply path: the bot of each platform that runs in this process. */
function inboxDeps(deps: { db: Db; clock: Clock; logger: Logger; messengers?: ReadonlyMap<Platform, Messenger> }) {
  const repos = createRepositories(deps.db);
  return {
    inbox: new PgHandoffRepository(deps.db),
    followers: repos.followers,
    events: repos.events,
    entitlements: repos.entitlements,
    courses: repos.courses,
    audit: repos.audit,
    messengers: (platform: Platform) => deps.messengers?.get(platform),
    clock: deps.clock,
    logger: deps.logger,
  };
}

/**
 * The Telegram bot's identity for the Settings page, from the Bot API's getMe (the token never
 * leaves this process). Remembered once known; a failure is shown as the reason and retried on the
 * next request.
 *
 * @example
 * createConsoleParts({ ..., channelDetails: telegramBotDetails(config.telegram) });
 */
export function telegramBotDetails(telegram: { botToken?: string; apiRoot: string }, timeoutMs = 3000): () => Promise<Record<string, ChannelDetails>> {
  let known: ChannelDetails | undefined;
  return async (): Promise<Record<string, ChannelDetails>> => {
    if (!telegram.botToken) return {};
    if (known) return { telegram: known };
    try {
      const response = await fetch(`${telegram.apiRoot}/bot${telegram.botToken}/getMe`, { signal: AbortSignal.timeout(timeoutMs) });
      const body = (await response.json()) as { ok: boolean; result?: { id: number; username?: string; first_name?: string }; description?: string };
      if (!body.ok || !body.result) return { telegram: { error: `getMe failed: ${body.description ?? `HTTP ${response.status}`}` } };
      known = { botUsername: `@${body.result.username ?? ''}`, botName: body.result.first_name ?? '', botId: String(body.result.id) };
      return { telegram: known };
    } catch (error) {
      return { telegram: { error: `getMe failed: ${error instanceof Error ? error.message : String(error)}` } };
    }
  };
}

/** The demo admin when SEED_DEMO_DATA is on and no ADMIN_EMAIL is given: its password is generated into DATA_DIR. */
export const DEMO_ADMIN_EMAIL = 'admin@zhiliao.local';

async function firstAdminCredentials(config: Config): Promise<{ email?: string; password?: string; passwordSource: string }> {
  if (config.console.adminEmail) return { email: config.console.adminEmail, password: config.console.adminPassword, passwordSource: 'ADMIN_PASSWORD' };
  if (!config.seedDemoData) return { passwordSource: 'none' };
  const { secret, source } = await resolveGeneratedSecret({ configured: undefined, variable: 'ADMIN_PASSWORD', dataDir: config.dataDir, file: 'admin-password', bytes: 12 });
  return { email: DEMO_ADMIN_EMAIL, password: secret, passwordSource: source };
}

/**
 * Wires the admin console: creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD when there is
 * none, puts the console's /api routers ahead of the others, serves the web console at /console,
 * and sets the admin auth (session cookie + CSRF, API tokens, or ADMIN_API_TOKEN) for every
 * admin mount.
 */
export async function wireConsole(ctx: CoreContext, wiring: Wiring): Promise<void> {
  const { token: adminApiToken } = await resolveAdminApiToken(ctx.config.adminApiToken, ctx.config.dataDir);
  const parts = createConsoleParts({
    db: ctx.database.db,
    clock: ctx.clock,
    console: ctx.config.console,
    adminApiToken,
    channels: () => wiring.channels,
    channelDetails: telegramBotDetails(ctx.config.telegram),
    messengers: wiring.messengers,
    logger: ctx.logger,
  });
  const firstAdmin = await firstAdminCredentials(ctx.config);
  const created = await ensureFirstAdmin(
    { uow: new PgConsoleUnitOfWork(ctx.database.db), hasher: parts.hasher, clock: ctx.clock },
    { email: firstAdmin.email, password: firstAdmin.password },
  );
  if (created) ctx.logger.info({ email: created.email, password: firstAdmin.passwordSource }, 'first admin created');
  wiring.mounts.unshift(...parts.firstMounts);
  wiring.mounts.push(...parts.mounts);
  wiring.adminAuth = parts.adminAuth;
  wiring.channels.push({ channel: 'console', isOn: true, reason: `web console at /console, admin API at /api (OpenAPI: /api/openapi.json)` });
}
