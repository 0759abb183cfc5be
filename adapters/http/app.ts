import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger, Metrics } from '../observability/index.js';
import { requireBearerToken } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';

/** A router and where it is mounted; `admin` routers sit behind the admin authentication. */
export interface Mount {
  path: string;
  router: Router | RequestHandler;
  access: 'admin' | 'public';
}

export interface HttpAppDeps {
  logger: Logger;
  metrics: Metrics;
  /** Throws when a dependency the app needs (the database) is unreachable. */
  checkReadiness: () => Promise<void>;
  /** Guards `admin` mounts; defaults to a bearer-token check when `adminApiToken` is given. */
  adminAuth?: RequestHandler;
  adminApiToken?: string;
  mounts: Mount[];
  /** Largest JSON body accepted. */
  bodyLimit?: string;
  /**
   * express's `trust proxy`: which hops may set `X-Forwarded-For` (and so `req.ip`, which login
   * throttling and rate limits key on). Off by default: a client could otherwise pick its own
   * address and get fresh tries with every request.
   */
  trustProxy?: boolean | number | string;
}

declare module 'http' {
  interface IncomingMessage {
    /** The exact bytes of the body, kept for signature checks (WeChat Pay notifications). */
    rawBody?: Buffer;
  }
}

/**
 * The express app of every process: request ids and logs, metrics, health, then the mounted
 * routers, then one error handler.
 *
 * @example
 * const app = createHttpApp({ logger, metrics, checkReadiness: database.ping, adminApiToken, mounts: [{ path: '/api', router, access: 'admin' }] });
 */
export function createHttpApp(deps: HttpAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req: IncomingMessage, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      // Method, path and id are enough to follow a request; headers would only add noise and risk.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // A 503 (database down) is logged, rate-limited, by the error handler; its access lines stay warnings.
      customLogLevel: (_req, res, err) => (res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );

  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      // The matched route pattern, not the raw URL, so ids do not explode label cardinality.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.baseUrl || 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });

  app.use(
    express.json({
      limit: deps.bodyLimit ?? '2mb',
      verify: (req: IncomingMessage, _res, buf) => {
        req.rawBody = buf;
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.checkReadiness();
      res.json({ status: 'ready', database: 'ok' });
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'not_ready', database: 'unreachable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  const adminAuth = deps.adminAuth ?? (deps.adminApiToken ? requireBearerToken(deps.adminApiToken) : undefined);
  if (!adminAuth && deps.mounts.some((m) => m.access === 'admin')) {
    throw new Error('admin routes need adminAuth or adminApiToken');
  }
  for (const mount of deps.mounts) {
    if (mount.access === 'admin') app.use(mount.path, adminAuth!, mount.router);
    else app.use(mount.path, mount.router);
  }

  app.use(notFoundHandler);
  app.use(errorHandler(deps.metrics));
  return app;
}
