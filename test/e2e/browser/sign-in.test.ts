/**
 * The sign-in page in a real browser (Debian's Chromium, JavaScript off, as the page needs none):
 * what a person sees and does, with the mouse and with the keyboard only, at desktop and phone
 * widths. The client's redirect URI is a loopback server started here.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGatehouse, type RunningGatehouse } from '../../helpers/gatehouse.js';
import { connectWithToken, structured } from '../../helpers/mcp-client.js';
import { authorizeUrl, exchangeCode, newPkce, registerClient, type PkcePair } from '../../helpers/oauth-flow.js';
import { fillAndSubmit, launchChromium, screenshot, startCallbackServer, VIEWPORTS, type CallbackServer } from './chromium.js';

let server: RunningGatehouse;
let browser: Browser;
let callback: CallbackServer;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [server, browser, callback] = await Promise.all([startGatehouse(), launchChromium(), startCallbackServer()]);
});
afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await server?.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function openSignIn(options: { viewport?: { width: number; height: number }; clientName?: string; redirectUri?: string } = {}) {
  const redirectUri = options.redirectUri ?? callback.redirectUri;
  const clientId = await registerClient(server.url, { client_name: options.clientName ?? 'Claude', redirect_uris: [redirectUri] });
  const pkce = newPkce();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  context = await browser.newContext({ javaScriptEnabled: false, viewport: options.viewport ?? VIEWPORTS.desktop });
  const page = await context.newPage();
  const response = await page.goto(
    authorizeUrl(server.url, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state,
      resource: server.resourceUrl,
    }),
  );
  expect(response?.status()).toBe(200);
  return { page, clientId, pkce, state };
}

async function redeem(landedOn: string, flow: { clientId: string; pkce: PkcePair; state: string }) {
  const url = new URL(landedOn);
  expect(url.origin + url.pathname).toBe(callback.redirectUri);
  expect(url.searchParams.get('state')).toBe(flow.state);
  expect(url.searchParams.get('iss')).toBe(server.url);
  const response = await exchangeCode(server.url, {
    grant_type: 'authorization_code',
    code: url.searchParams.get('code')!,
    redirect_uri: callback.redirectUri,
    code_verifier: flow.pkce.verifier,
    client_id: flow.clientId,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string; scope: string }).access_token;
}

async function whoami(accessToken: string) {
  const client = await connectWithToken(server.resourceUrl, accessToken);
  try {
    return structured<{ scopes: string[]; readOnly: boolean; piiRedaction: string }>(await client.callTool({ name: 'whoami', arguments: {} }));
  } finally {
    await client.close();
  }
}

// Callbacks passed to page.evaluate run in the page, where `document` exists; the project compiles without the DOM lib, hence `globalThis as any`.
const activeId = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => {
    const active = (globalThis as any).document.activeElement;
    return active?.id || active?.tagName;
  });

/** `autofocus` takes effect at a rendering update after the load event, not at it: wait for it (2 s at most). */
const expectAutofocused = (page: Page, id: string) => vi.waitFor(async () => expect(await activeId(page)).toBe(id), { timeout: 2_000, interval: 20 });

describe('the sign-in page in Chromium', () => {
  it('shows who asks, where the browser goes back to, what it asks for, and the two choices', async () => {
    const { page } = await openSignIn();
    await expect(page.title()).resolves.toBe('Sign in to connect Claude · Gatehouse');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Connect Claude to your account');
    await expect(page.locator('#local-notice').innerText()).resolves.toContain('This app will receive access on this computer (127.0.0.1)');
    const scopes = await page.locator('.scopes li').allInnerTexts();
    expect(scopes).toEqual(['Read records in your account (members, bookings, invoices and more)', 'Create, change and delete records on your behalf']);
    await expect(page.locator('#accept_disclaimer').isChecked()).resolves.toBe(false);
    await expect(page.locator('#share_pii').isChecked()).resolves.toBe(false);
    await expect(page.locator('#read_only').isChecked()).resolves.toBe(false);
    await expect(page.locator('#disclaimer-text').innerText()).resolves.toContain('not deterministic');
    await expect(page.getByRole('button', { name: 'Cancel' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('script').count()).toBe(0);
  });

  it('signs in with personal data shared after ticking and unticking, and the session says so', async () => {
    const flow = await openSignIn();
    const { page } = flow;
    await page.getByLabel('Read only').check();
    await page.getByLabel('Read only').uncheck();
    await page.getByLabel('Allow the AI assistant to see personal data').check();
    await fillAndSubmit(page, { sharePii: true, readOnly: false });
    await page.waitForURL((url) => url.pathname === '/callback');
    const me = await whoami(await redeem(page.url(), flow));
    expect(me.piiRedaction).toBe('off');
    expect(me.scopes).toEqual(['mcp:read', 'mcp:write']);
  });

  it('signs in read-only with personal data redacted', async () => {
    const flow = await openSignIn();
    await flow.page.getByLabel('Allow the AI assistant to see personal data').check();
    await flow.page.getByLabel('Allow the AI assistant to see personal data').uncheck();
    await fillAndSubmit(flow.page, { sharePii: false, readOnly: true });
    await flow.page.waitForURL((url) => url.pathname === '/callback');
    const me = await whoami(await redeem(flow.page.url(), flow));
    expect(me.piiRedaction).toBe('on');
    expect(me.readOnly).toBe(true);
    expect(me.scopes).toEqual(['mcp:read']);
  });

  it('re-renders a wrong password with an announced error tied to the fields, keeping the choices', async () => {
    const before = callback.received.length;
    const { page } = await openSignIn();
    await fillAndSubmit(page, { password: 'not-the-password', sharePii: true });
    const alert = page.getByRole('alert');
    await expect(alert.innerText()).resolves.toBe('The email or password is not correct.');
    expect(new URL(page.url()).pathname).toBe('/authorize');
    for (const id of ['email', 'password']) {
      await expect(page.locator(`#${id}`).getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator(`#${id}`).getAttribute('aria-describedby')).resolves.toContain('form-error');
    }
    await expect(page.getByLabel('Email').inputValue()).resolves.toBe('admin@example.com');
    await expect(page.getByLabel('Password').inputValue()).resolves.toBe('');
    await expect(page.locator('#accept_disclaimer').isChecked()).resolves.toBe(true);
    await expect(page.locator('#share_pii').isChecked()).resolves.toBe(true);
    await expectAutofocused(page, 'email');
    expect(callback.received.length).toBe(before);
    await screenshot(page, 'sign-in-error-desktop');

    await fillAndSubmit(page, { sharePii: true });
    await page.waitForURL((url) => url.pathname === '/callback');
    expect(new URL(page.url()).searchParams.get('code')).toMatch(/^[\w-]{43}$/);
  });

  it('points the error at the disclaimer box when it is not ticked', async () => {
    const { page } = await openSignIn();
    await fillAndSubmit(page, { acceptDisclaimer: false });
    await expect(page.getByRole('alert').innerText()).resolves.toContain('Tick the box');
    await expect(page.locator('#accept_disclaimer').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#accept_disclaimer').getAttribute('aria-describedby')).resolves.toBe('form-error disclaimer-text');
    await expectAutofocused(page, 'accept_disclaimer');
  });

  it('returns access_denied to the client on Cancel, without asking for anything', async () => {
    const flow = await openSignIn();
    await flow.page.getByRole('button', { name: 'Cancel' }).click();
    await flow.page.waitForURL((url) => url.pathname === '/callback');
    const landed = new URL(flow.page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe(flow.state);
    expect(landed.searchParams.get('iss')).toBe(server.url);
    expect(landed.searchParams.get('code')).toBeNull();
  });

  it('can be used with the keyboard only, in a sensible order', async () => {
    const flow = await openSignIn();
    const { page } = flow;
    await expectAutofocused(page, 'email');
    await page.keyboard.type('admin@example.com');
    const order: string[] = ['email'];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push((await activeId(page)) ?? '');
      if (order.at(-1) === 'password') await page.keyboard.type('demo-password');
      if (order.at(-1) === 'accept_disclaimer') await page.keyboard.press('Space');
    }
    expect(order).toEqual(['email', 'password', 'accept_disclaimer', 'share_pii', 'read_only', 'BUTTON', 'BUTTON']);
    await expect(page.locator('#accept_disclaimer').isChecked()).resolves.toBe(true);
    await page.keyboard.press('Shift+Tab');
    await expect(page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).resolves.toBe('Sign in and connect');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/callback');
    const me = await whoami(await redeem(page.url(), flow));
    expect(me.piiRedaction).toBe('on');
  });

  it('passes the accessibility checks a browser can make without extra tools', async () => {
    const { page } = await openSignIn();
    const report = await page.evaluate(() => {
      const document = (globalThis as any).document;
      const all = (selector: string): any[] => [...document.querySelectorAll(selector)];
      const unlabeled = all('input:not([type=hidden]), button')
        .filter((el) => (el.tagName === 'INPUT' ? el.labels?.length === 0 && !el.getAttribute('aria-label') : !el.textContent?.trim()))
        .map((el) => el.outerHTML);
      const brokenReferences = all('[aria-describedby]').flatMap((el) =>
        (el.getAttribute('aria-describedby') as string).split(' ').filter((id) => !document.getElementById(id)),
      );
      const ids: string[] = all('[id]').map((el) => el.id);
      return {
        lang: document.documentElement.lang,
        h1: document.querySelectorAll('h1').length,
        unlabeled,
        brokenReferences,
        duplicateIds: ids.filter((id, index) => ids.indexOf(id) !== index),
        legend: document.querySelector('fieldset legend')?.textContent,
        viewport: document.querySelector('meta[name=viewport]')?.getAttribute('content'),
        positiveTabindex: document.querySelectorAll('[tabindex]:not([tabindex="0"]):not([tabindex="-1"])').length,
      };
    });
    expect(report).toEqual({
      lang: 'en',
      h1: 1,
      unlabeled: [],
      brokenReferences: [],
      duplicateIds: [],
      legend: 'Before you connect',
      viewport: 'width=device-width, initial-scale=1',
      positiveTabindex: 0,
    });
    await expect(page.getByRole('checkbox', { name: /Allow the AI assistant to see personal data \(optional, off by default\)/ }).count()).resolves.toBe(1);
    await expect(page.getByRole('checkbox', { name: /I understand what an AI assistant connected to my account can do/ }).count()).resolves.toBe(1);
  });

  it('keeps text contrast at 4.5:1 or more', async () => {
    const { page } = await openSignIn();
    await fillAndSubmit(page, { password: 'wrong-password' });
    const ratios = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as any;
      const rgb = (text: string) => (text.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
      const luminance = ([r, g, b]: number[]) =>
        [r!, g!, b!].map((c) => (c / 255 <= 0.039_28 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)).reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
      const background = (el: any): string => {
        for (let node = el; node; node = node.parentElement) {
          const colour = getComputedStyle(node).backgroundColor;
          if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
        }
        return 'rgb(255, 255, 255)';
      };
      const selectors = ['h1', '.product span', '.who, .notice', 'header .hint', '.scopes li', 'label[for=email]', '.disclaimer li', '#share-pii-text', '.required', '.error', '.primary', '.secondary', '.fine'];
      return Object.fromEntries(
        selectors.map((selector) => {
          const el = document.querySelector(selector)!;
          const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(rgb(background(el)))].sort((x, y) => y - x) as [number, number];
          return [selector, Math.round(((a + 0.05) / (b + 0.05)) * 100) / 100];
        }),
      );
    });
    for (const [selector, ratio] of Object.entries(ratios)) expect(ratio, selector).toBeGreaterThanOrEqual(4.5);
  });

  it('fits a phone screen without sideways scrolling, and saves screenshots at both widths', async () => {
    const desktop = await openSignIn({ clientName: 'Claude', redirectUri: 'https://claude.ai/api/mcp/auth_callback' });
    await expect(desktop.page.locator('.who').innerText()).resolves.toBe('After you sign in you will be sent back to claude.ai.');
    await expect(desktop.page.locator('#local-notice').count()).resolves.toBe(0);
    await screenshot(desktop.page, 'sign-in-desktop');
    await context!.close();
    const mobile = await openSignIn({ viewport: VIEWPORTS.mobile, clientName: 'A connector with a rather long name that has to wrap on a phone' });
    const overflow = await mobile.page.evaluate(() => {
      const root = (globalThis as any).document.documentElement;
      return root.scrollWidth - root.clientWidth;
    });
    expect(overflow).toBe(0);
    const buttonWidth = (await mobile.page.getByRole('button', { name: 'Sign in and connect' }).boundingBox())!.width;
    expect(buttonWidth).toBeGreaterThan(300);
    await screenshot(mobile.page, 'sign-in-mobile');
    if (process.env.UPDATE_DOCS_SCREENSHOTS) {
      await mkdir('docs/screenshots', { recursive: true });
      await copyFile(path.resolve('test-results/screenshots/sign-in-desktop.png'), 'docs/screenshots/sign-in.png');
    }
  });

  it('explains an unknown client on an error page instead of redirecting', async () => {
    context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    const response = await page.goto(authorizeUrl(server.url, { response_type: 'code', client_id: 'no-such-client-0000', redirect_uri: callback.redirectUri, code_challenge: newPkce().challenge, code_challenge_method: 'S256' }));
    expect(response?.status()).toBe(400);
    expect(new URL(page.url()).pathname).toBe('/authorize');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('This connection request cannot be completed');
    await expect(page.getByRole('alert').innerText()).resolves.toContain('not registered');
    await expect(page.locator('main').innerText()).resolves.toContain('Remove the connector in the app and add it again');
    await screenshot(page, 'error-unknown-client-desktop');
  });

  it('warns about a redirect URI the client never registered', async () => {
    const clientId = await registerClient(server.url, { redirect_uris: ['https://app.example.com/cb'] });
    context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS.mobile });
    const page = await context.newPage();
    const response = await page.goto(authorizeUrl(server.url, { response_type: 'code', client_id: clientId, redirect_uri: 'https://attacker.example.net/cb', code_challenge: newPkce().challenge, code_challenge_method: 'S256' }));
    expect(response?.status()).toBe(400);
    await expect(page.locator('main').innerText()).resolves.toContain('Do not sign in from this link');
    await screenshot(page, 'error-redirect-mismatch-mobile');
  });
});

describe('the sign-in page with an operator brand', () => {
  let branded: RunningGatehouse;
  beforeAll(async () => {
    branded = await startGatehouse({
      env: { BRAND_NAME: 'Acme Coworking', BRAND_LOGO_URL: 'https://brand.example.com/logo.svg', BRAND_ACCENT_COLOR: '#0a7d3b', BRAND_SUPPORT_URL: 'https://help.example.com/mcp' },
    });
  });
  afterAll(() => branded?.close());

  it('shows the product name, logo, accent colour and support link, and the client logo', async () => {
    const brandCss = await fetch(`${branded.url}/assets/brand.css`);
    expect(brandCss.headers.get('content-type')).toContain('text/css');
    expect(await brandCss.text()).toContain('--accent: #0a7d3b;');

    const clientId = await registerClient(branded.url, { client_name: 'Claude', redirect_uris: [callback.redirectUri], logo_uri: 'https://claude.example.com/logo.svg' });
    context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    const requestedImages: string[] = [];
    // The logos live on other hosts; the browser gets a small SVG instead of going to the network.
    await page.route(/^https:\/\//, (route) => {
      requestedImages.push(route.request().url());
      return route.fulfill({ contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" fill="#0a7d3b"/></svg>' });
    });
    await page.goto(authorizeUrl(branded.url, { response_type: 'code', client_id: clientId, redirect_uri: callback.redirectUri, code_challenge: newPkce().challenge, code_challenge_method: 'S256' }));
    await expect(page.title()).resolves.toBe('Sign in to connect Claude · Acme Coworking');
    await expect(page.locator('.product').innerText()).resolves.toBe('Acme Coworking');
    expect(requestedImages.sort()).toEqual(['https://brand.example.com/logo.svg', 'https://claude.example.com/logo.svg']);
    await expect(page.getByRole('link', { name: 'Contact support' }).getAttribute('href')).resolves.toBe('https://help.example.com/mcp');
    const buttonColour = await page.getByRole('button', { name: 'Sign in and connect' }).evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor);
    expect(buttonColour).toBe('rgb(10, 125, 59)');
    await expect(page.locator('.fine').first().innerText()).resolves.toContain('Your password goes only to Acme Coworking');
    await screenshot(page, 'sign-in-branded-desktop');
  });
});
