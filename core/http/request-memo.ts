import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';

/**
 * What one request has read already, by key. A page asks for the same per-person data from several places
 * that do not know of each other (the header's unread count, the seller's navigation, the dashboard's panel,
 * the route's own scope check), and a slot is not handed the request: the memo travels with the request's
 * async context instead, so each of them may ask and the database answers once.
 */
const scope = new AsyncLocalStorage<Map<string, Promise<unknown>>>();

/** Mounted once, early: every request gets its own, empty memo. */
export function requestMemo(): RequestHandler {
  return (_req, _res, next) => scope.run(new Map(), next);
}

/**
 * `load()` once per request for `key` (its promise shared by every caller in the request, concurrent or
 * not); outside a request (a job, a test calling a service) it simply loads. The key names the owner and the
 * person (`messaging.unread:42`). A failed load is not kept: the next caller tries again.
 */
export function perRequest<T>(key: string, load: () => Promise<T>): Promise<T> {
  const memo = scope.getStore();
  if (!memo) return load();
  const hit = memo.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  const loading = load();
  memo.set(key, loading);
  loading.catch(() => {
    if (memo.get(key) === loading) memo.delete(key);
  });
  return loading;
}

/**
 * Drops what this request read under keys starting with `prefix`: a request that changes the data (marks a
 * thread read, joins a shop) and renders a page after reads it fresh.
 */
export function forgetPerRequest(prefix: string): void {
  const memo = scope.getStore();
  if (!memo) return;
  for (const key of [...memo.keys()]) if (key.startsWith(prefix)) memo.delete(key);
}
