import type Stripe from 'stripe';
import type { StripeSettings } from './settings';

const clients = new Map<string, Stripe>();
/** The stripe package (about 8 MB resident) is loaded on the first call to Stripe, not when the site starts. */
let stripeModule: typeof Stripe | undefined;

async function loadStripe(): Promise<typeof Stripe> {
  stripeModule ??= (await import('stripe')).default;
  return stripeModule;
}

/**
 * The official client for the stored keys, pointed at `apiBase` when set (a Stripe-compatible test
 * server). No automatic retries: every call that moves money carries our own idempotency key, and a
 * failure is shown to the person who asked rather than retried behind their back.
 */
export async function stripeClient(settings: StripeSettings): Promise<Stripe> {
  const StripeClient = await loadStripe();
  const cacheKey = `${settings.secretKey}|${settings.apiBase}|${settings.timeoutSeconds}`;
  let client = clients.get(cacheKey);
  if (!client) {
    const base = settings.apiBase ? new URL(settings.apiBase) : null;
    client = new StripeClient(settings.secretKey, {
      maxNetworkRetries: 0,
      timeout: Math.round(settings.timeoutSeconds * 1000),
      telemetry: false,
      appInfo: { name: 'Agora' },
      ...(base ? { host: base.hostname, port: base.port || (base.protocol === 'https:' ? 443 : 80), protocol: base.protocol === 'http:' ? ('http' as const) : ('https' as const) } : {}),
    });
    if (clients.size > 10) clients.clear();
    clients.set(cacheKey, client);
  }
  return client;
}

/** A Stripe error told in a sentence for the admin; never the request (it may hold a key). */
export function stripeErrorText(error: unknown): string {
  // No Stripe error can exist before the package is loaded.
  if (stripeModule && error instanceof stripeModule.errors.StripeError) return `${error.type}${error.code ? ` (${error.code})` : ''}: ${error.message}`.slice(0, 500);
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
