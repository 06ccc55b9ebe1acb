import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Sequelize } from 'sequelize';
import { DataTypes } from 'sequelize';
import SequelizeStoreFactory from 'connect-session-sequelize';
import type { Redis } from 'ioredis';
import { redisModules } from '../cluster/redis-modules';

export const SESSION_COOKIE = 'agora.sid';

declare module 'express-session' {
  interface SessionData {
    /** When a session cookie the server did not know was replaced by this session (see renewUnknownSession). */
    renewedAt?: number;
  }
}
const TWO_WEEKS = 14 * 24 * 3600 * 1000;

/** Sessions in the database (the `sessions` table), or in Redis when `REDIS_URL` is set. */
export function createSession(options: { secret: string; secure: boolean; sequelize: Sequelize; redisUrl?: string; redisPrefix?: string; touchEveryMs?: number }): { middleware: RequestHandler; close: () => Promise<void> } {
  let store: session.Store;
  let close: () => Promise<void>;
  if (options.redisUrl) {
    const { Redis } = redisModules.ioredis();
    const { RedisStore } = redisModules.connectRedis();
    const client = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    store = new RedisStore({ client: nodeRedisFacade(client), prefix: `${options.redisPrefix ?? 'agora:'}sess:` });
    close = async () => {
      client.disconnect();
    };
  } else {
    const SequelizeStore = SequelizeStoreFactory(session.Store);
    options.sequelize.define(
      'Session',
      {
        sid: { type: DataTypes.STRING(64), primaryKey: true },
        expires: DataTypes.DATE,
        data: DataTypes.TEXT,
      },
      { tableName: 'sessions', underscored: true },
    );
    const sequelizeStore = new SequelizeStore({ db: options.sequelize, table: 'Session', checkExpirationInterval: 15 * 60 * 1000, expiration: TWO_WEEKS });
    store = sequelizeStore;
    close = async () => {
      // The store's expiry timer would keep the process alive.
      sequelizeStore.stopExpiringSessions();
    };
  }
  throttleTouch(store, options.touchEveryMs ?? DEFAULT_TOUCH_EVERY);
  const load = session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge: TWO_WEEKS },
  });
  const middleware: RequestHandler = (req, res, next) => load(req, res, (error?: unknown) => (error ? next(error) : renewUnknownSession(req, res, next)));
  return { middleware, close };
}

/** SESSION_TOUCH_MINUTES's default: how stale a session's stored expiry may get before a request renews it. */
const DEFAULT_TOUCH_EVERY = 5 * 60_000;

/**
 * express-session renews an unchanged session's expiry in the store on every request (an UPDATE of its row,
 * or a Redis EXPIRE): on a logged-in page that is one write per page view for a date two weeks out. This
 * instance renews a session at most every `everyMs` after it last wrote it (a save or a touch), so the
 * stored expiry lags by at most that much; a changed session is saved as before. With several instances each
 * renews on its own clock: at most one renewal per instance per interval. `everyMs` 0 renews on every request.
 */
export function throttleTouch(store: session.Store, everyMs: number, now: () => number = Date.now): void {
  const touch = store.touch?.bind(store);
  if (!touch || everyMs <= 0) return;
  const lastWrite = new Map<string, number>();
  const remember = (sid: string) => {
    const at = now();
    lastWrite.set(sid, at);
    // Entries older than the interval suppress nothing: dropped once the map holds many, so it stays the size of
    // the sessions active within one interval.
    if (lastWrite.size > 10_000) for (const [key, when] of lastWrite) if (at - when >= everyMs) lastWrite.delete(key);
  };
  const set = store.set.bind(store);
  store.set = (sid, data, callback) => {
    remember(sid);
    return set(sid, data, callback);
  };
  const destroy = store.destroy.bind(store);
  store.destroy = (sid, callback) => {
    lastWrite.delete(sid);
    return destroy(sid, callback);
  };
  store.touch = (sid, data, callback) => {
    const last = lastWrite.get(sid);
    if (last !== undefined && now() - last < everyMs) return callback?.();
    remember(sid);
    return touch(sid, data, callback);
  };
}

/**
 * A cookie naming a session the server does not know (signed with a rotated secret, its row wiped, a restore)
 * makes express-session start a new, unsaved session on every request, so the CSRF token a page hands out is
 * bound to an id the next request never carries: every form would answer 403 until the person cleared their
 * cookies. Such a session is stored at once, so its cookie replaces the stale one and its forms validate.
 */
const renewUnknownSession: RequestHandler = (req, _res, next) => {
  const sent: unknown = req.cookies?.[SESSION_COOKIE];
  if (typeof sent === 'string' && req.session && sessionIdIn(sent) !== req.sessionID) req.session.renewedAt = Date.now();
  next();
};

/** The session id inside an express-session cookie value (`s:<id>.<signature>`), unchecked. */
function sessionIdIn(cookie: string): string | undefined {
  if (!cookie.startsWith('s:')) return undefined;
  const dot = cookie.lastIndexOf('.');
  return dot > 2 ? cookie.slice(2, dot) : undefined;
}

/**
 * connect-redis 9 speaks the node-redis client API; Agora uses ioredis everywhere (jobs, rate limits). This
 * is the part of the node-redis API the store calls, answered by ioredis.
 */
function nodeRedisFacade(client: Redis) {
  return {
    get: (key: string) => client.get(key),
    set: (key: string, value: string, options?: { expiration?: { type: 'EX'; value: number } }) =>
      options?.expiration ? client.set(key, value, 'EX', options.expiration.value) : client.set(key, value),
    expire: (key: string, seconds: number) => client.expire(key, seconds),
    del: (keys: string | string[]) => client.del(...([] as string[]).concat(keys)),
    mGet: (keys: string[]) => client.mget(...keys),
    async *scanIterator(options: { MATCH: string; COUNT: number }): AsyncGenerator<string[]> {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', options.MATCH, 'COUNT', options.COUNT);
        cursor = next;
        if (keys.length) yield keys;
      } while (cursor !== '0');
    },
  };
}
