import crypto from 'node:crypto';
import path from 'node:path';
import express, { type Express, type Response } from 'express';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import { pinoHttp } from 'pino-http';
import './http/express-types';
import { log } from './log';
import type { Platform } from './platform';
import { createSession } from './http/session';
import { readiness } from './cluster/readiness';
import { createCsrf } from './http/csrf';
import { csrfForEveryBody } from './http/multipart-csrf';
import { localsMiddleware } from './http/locals';
import { requestMemo } from './http/request-memo';
import { cleanInput } from './http/clean-input';
import { privatePages } from './http/private-pages';
import { proxyCheck } from './http/proxy-check';
import { announcedBodyLimit, largestBody } from './http/body-limit';
import { errorHandler, notFoundHandler } from './http/errors';
import { authRoutes } from './auth/routes';
import { holdLoginGate } from './auth/login-gate';
import { adminRoutes } from './admin/routes';

export interface BuiltApp {
  app: Express;
  close(): Promise<void>;
}

/**
 * The request pipeline, in the order DESIGN.md fixes: helmet (nonce CSP) ▸ static ▸ session ▸ passport ▸
 * csrf ▸ locals ▸ core routes ▸ plugin gate ▸ 404 ▸ error page.
 */
export function buildApp(platform: Platform): BuiltApp {
  const { config } = platform;
  const app = express();
  const secure = config.TRUST_PROXY !== '0' && config.baseUrl.startsWith('https:');
  app.set('trust proxy', trustProxy(config.TRUST_PROXY));
  app.disable('x-powered-by');
  // Secure cookies behind a proxy that does not say "https": logged at start-up and on the first such request,
  // and shown on the admin dashboard (req.app.locals.proxyWarning).
  const proxy = proxyCheck(secure, config.TRUST_PROXY);
  app.locals.proxyWarning = proxy.warning;
  app.use(proxy.middleware);
  // A body announced above what any form takes is refused (413) before it is read (core/http/body-limit.ts).
  app.use(announcedBodyLimit(largestBody(config)));

  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req, res) => {
        const id = crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url?.startsWith('/themes/') || req.url?.startsWith('/assets/') || false },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
    }),
  );
  app.use((_req, res, next) => {
    res.locals.nonce = crypto.randomBytes(16).toString('base64');
    next();
  });
  // Per-person reads asked for from several places of one page are made once (core/http/request-memo.ts).
  app.use(requestMemo());
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.nonce as string}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // Plus the hosted pages plugins redirect a form's answer to (a payment provider's checkout).
          formAction: ["'self'", () => platform.http.formTargets.sources().join(' ')],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: secure ? [] : null,
        },
      },
      strictTransportSecurity: secure,
      // The same answer as CSP frame-ancestors 'none' for browsers that only read the older header (helmet's own
      // default, SAMEORIGIN, would let this site frame itself while the CSP forbids it).
      xFrameOptions: { action: 'deny' },
    }),
  );

  const year = { maxAge: '365d', immutable: true, index: false } as const;
  app.use('/assets', express.static(path.join(config.rootDir, 'public'), year));
  app.use('/themes/:theme', (req, res, next) => {
    const dir = platform.themes.publicDir(String(req.params.theme));
    if (!dir) return next();
    express.static(dir, year)(req, res, next);
  });
  app.use('/uploads', express.static(config.uploadsDir, { maxAge: '30d', index: false }));

  app.get('/healthz', async (_req, res) => {
    try {
      await platform.sequelize.query('SELECT 1');
      res.json({ status: 'ok', database: { dialect: platform.sequelize.getDialect(), state: 'up' }, jobs: platform.jobs.kind });
    } catch (error) {
      res.status(503).json({ status: 'degraded', database: { state: 'down', error: error instanceof Error ? error.message : String(error) } });
    }
  });

  app.get('/readyz', readiness(platform));

  // Every res.cookie from here on asks the cookie guard (consent for declared cookies, refusal of undeclared ones).
  const { rawBody, middleware, cookies } = platform.http;
  app.use(cookies.wrap());
  // Provider callbacks under a prefix a plugin claimed (ctx.http.rawBody) read their own raw body to check its
  // signature and carry no cookie session: no body parser, no session (none loaded, none created, no
  // Set-Cookie), no passport session and no CSRF check runs for them.
  app.use(rawBody.unless(express.urlencoded({ extended: true, limit: '200kb', parameterLimit: 2000 })));
  app.use(rawBody.unless(express.json({ limit: '200kb' })));
  app.use(cookieParser());
  const sessions = createSession({ secret: config.sessionSecret, secure, sequelize: platform.sequelize, redisUrl: config.REDIS_URL, redisPrefix: config.REDIS_PREFIX, touchEveryMs: config.SESSION_TOUCH_MINUTES * 60_000 });
  app.use(rawBody.unless(sessions.middleware));
  const { passport } = platform;
  app.use(passport.initialize());
  app.use(rawBody.unless(passport.session()));
  const csrf = createCsrf(config.sessionSecret, secure, (req) => rawBody.matches(req.path));
  app.use(localsMiddleware(platform, csrf.token));
  // The store's tagline, address and policy links (core's General settings), for the layout's header and footer.
  app.use((_req, res, next) => {
    res.locals.store = platform.settings.get('core');
    next();
  });
  // A NUL byte or a broken character in the path, query or body is refused here, for every route (400).
  app.use(cleanInput());
  // Cache-Control: no-store on every page rendered for a session or a signed link (core/http/private-pages.ts).
  app.use(privatePages());
  // A multipart body is read here for its _csrf field, before any route keeps a file (core/http/multipart-csrf.ts).
  app.use(csrfForEveryBody(csrf.protect, largestBody(config), (req) => rawBody.matches(req.path)));
  app.use(cookies.decide());
  // A person logged in but not yet through the login gate (form section core.login.after) sees only the gate.
  app.use(holdLoginGate(platform.plugins));
  // Plugins' early middleware (ctx.http.use('early')): before core's routes and every plugin's. A plugin whose
  // middleware keeps failing is suspended, like one whose hook listeners do.
  middleware.onSuspend((failure) => {
    void platform.plugins.suspend(failure.owner, failure).catch((error: unknown) => log.error({ err: error }, 'suspending a plugin failed'));
  });
  app.use(middleware.runner('early'));

  app.get('/', async (_req, res) => res.renderPage('core/home', { title: 'Home' }));
  app.use(authRoutes(platform));
  app.use('/admin', adminRoutes(platform));
  app.use(platform.plugins.gate());
  // Plugins' late middleware (ctx.http.use('late')): after every route, before the 404.
  app.use(middleware.runner('late'));

  app.use(notFoundHandler());
  app.use(errorHandler());
  return { app, close: sessions.close };
}

function trustProxy(value: string): boolean | number | string {
  if (value === '0' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
