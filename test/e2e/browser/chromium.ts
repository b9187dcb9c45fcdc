/**
 * Debian's Chromium driven by playwright-core, and what a person does on the sign-in page. A missing
 * browser fails the tests with the command that installs it; it never skips them.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');
export const VIEWPORTS = { desktop: { width: 1280, height: 900 }, mobile: { width: 390, height: 844 } } as const;

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: the browser tests need Debian's Chromium. Install it with: apt-get install -y chromium (.ci/run does this).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A client's redirect URI: a loopback server that records what the browser brings back. */
export interface CallbackServer {
  redirectUri: string;
  received: URL[];
  close(): Promise<void>;
}

export async function startCallbackServer(pathname = '/callback'): Promise<CallbackServer> {
  const received: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === pathname) received.push(url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Callback</title><h1>Back in the app</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    redirectUri: `http://127.0.0.1:${port}${pathname}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface PersonChoices {
  email?: string;
  password?: string;
  acceptDisclaimer?: boolean;
  sharePii?: boolean;
  readOnly?: boolean;
}

/** Fills the form with the mouse and keyboard as a person would, and submits it. */
export async function fillAndSubmit(page: Page, choices: PersonChoices = {}): Promise<void> {
  await page.getByLabel('Email').fill(choices.email ?? 'admin@example.com');
  await page.getByLabel('Password').fill(choices.password ?? 'demo-password');
  await page.locator('#accept_disclaimer').setChecked(choices.acceptDisclaimer ?? true);
  await page.locator('#share_pii').setChecked(choices.sharePii ?? false);
  await page.locator('#read_only').setChecked(choices.readOnly ?? false);
  await page.getByRole('button', { name: 'Sign in and connect' }).click();
}

/** Opens an authorization URL in a fresh context, signs in, and returns the URL the browser lands on. */
export async function signInInBrowser(browser: Browser, authorizationUrl: string, choices: PersonChoices = {}): Promise<string> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(authorizationUrl);
    await fillAndSubmit(page, choices);
    await page.waitForURL((url) => !url.pathname.startsWith('/authorize'), { timeout: 15_000 });
    return page.url();
  } finally {
    await context.close();
  }
}
