import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import type { Express } from 'express';
import { startTestApp, type TestApp, type TestAppOptions } from './app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

/** Debian's chromium, headless, with no background traffic (this machine has no internet). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Serves the app on a loopback port for the browser. */
export async function listen(app: Express): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export interface BrowserApp {
  t: TestApp;
  browser: Browser;
  /** Where the app is served on loopback. */
  url: string;
  close(): Promise<void>;
}

/** A test app served on loopback with chromium launched against it: the set-up of every browser test. */
export async function startBrowserApp(options: TestAppOptions = {}): Promise<BrowserApp> {
  const t = await startTestApp(options);
  const server = await listen(t.app);
  const browser = await launchBrowser();
  return {
    t,
    browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
      await t.close();
    },
  };
}
