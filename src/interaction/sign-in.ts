/**
 * The sign-in page: shows a pending authorization, checks the person's upstream credentials, and
 * finishes the authorization with one call into the authorization server. It never mints codes.
 * Every refusal re-renders the form with a message and no code; only cancel and success redirect.
 */
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { contentSecurityPolicy } from '../http/security-headers.js';
import { addressSubject } from '../http/client-address.js';
import { consumeRateLimit, refundRateLimit, type RateLimit } from '../http/rate-limit.js';
import { audit, type Logger } from '../log.js';
import type { Branding } from '../config.js';
import { AuthorizationFailure, readParams, WRITE_SCOPE, type AuthorizationEndpoint, type PendingAuthorization } from '../oauth/index.js';
import type { SessionService } from '../sessions/index.js';
import type { Store } from '../store/index.js';
import { InvalidCredentialsError, revokeInBackground, SignInBusyError, type Upstream } from '../upstream/index.js';
import { checkCsrf, csrfCookieName, csrfFieldFor, newCsrfCookieValue, readCookie } from './csrf.js';
import { buildBrandCss } from './brand-css.js';
import { renderErrorPage } from './error-page.js';
import { buildSignInView, describeDuration, describeWait, type FormError, type FormState } from './sign-in-view.js';
import { loadTemplate } from './templates.js';

export interface SignInDeps {
  authorize: AuthorizationEndpoint;
  sessions: SessionService;
  upstream: Upstream;
  store: Store;
  log: Logger;
  signinRoles: readonly string[];
  sessionTtlMs: number;
  /** https public URL: the CSRF cookie gets `Secure` and the `__Host-` prefix. */
  secureCookies: boolean;
  /** Product name, logo, accent colour and support link of the operator; Gatehouse's own by default. */
  branding?: Branding;
  /** Failed sign-ins allowed per account (hashed e-mail) and per client address. */
  failedSignInLimits: { perAccount: RateLimit; perAddress: RateLimit };
}

const FORM_FIELDS = ['interaction', 'csrf', 'email', 'password', 'accept_disclaimer', 'share_pii', 'read_only', 'action'] as const;

const DEFAULT_BRANDING: Branding = { productName: 'Gatehouse', logoUrl: undefined, accentColor: '#1f5fbf', supportUrl: undefined };

const EXPIRED = { title: 'This sign-in link has expired', message: 'The sign-in request expired or was already used.', code: 'invalid_request' };

export function createSignInHandlers(deps: SignInDeps) {
  const signInPage = loadTemplate('sign-in.html');
  const errorPage = loadTemplate('error.html');
  const branding = deps.branding ?? DEFAULT_BRANDING;
  const brandCss = buildBrandCss(branding.accentColor);
  const sessionLength = describeDuration(deps.sessionTtlMs);
  const cookieName = csrfCookieName(deps.secureCookies);
  const limits = deps.failedSignInLimits;

  const showError = (res: Response, status: number, content: { title: string; message: string; code: string }) => {
    res.status(status).type('html').send(renderErrorPage(errorPage, branding, content));
  };

  const ensureCsrfCookie = (req: Request, res: Response): string => {
    const existing = readCookie(req.headers.cookie, cookieName);
    if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
    const value = newCsrfCookieValue();
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=3600', ...(deps.secureCookies ? ['Secure'] : [])];
    res.append('Set-Cookie', `${cookieName}=${value}; ${attributes.join('; ')}`);
    return value;
  };

  const showForm = (req: Request, res: Response, pending: PendingAuthorization, status: number, error?: FormError, state: FormState = {}) => {
    const cookie = ensureCsrfCookie(req, res);
    const redirectOrigin = URL.canParse(pending.redirectUri) ? new URL(pending.redirectUri) : undefined;
    const formTarget = redirectOrigin && redirectOrigin.origin !== 'null' ? redirectOrigin.origin : redirectOrigin?.protocol;
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(formTarget ? [formTarget] : []));
    const view = buildSignInView(pending, { branding, sessionLength, interaction: pending.id, csrf: csrfFieldFor(cookie, pending.id), error, state });
    res.status(status).type('html').send(signInPage(view));
  };

  const failAuthorization = (res: Response, failure: AuthorizationFailure) => {
    deps.log.info({ oauthError: failure.error.code, reason: failure.error.description }, 'authorization request refused');
    if (failure.redirectTo) return res.redirect(303, failure.redirectTo);
    showError(res, failure.error.status >= 500 ? 500 : 400, { title: 'This connection request cannot be completed', message: failure.error.description, code: failure.error.code });
  };

  return {
    /** GET /assets/brand.css: the accent colour as CSS custom properties (the CSP allows no inline style). */
    brandStylesheet(_req: Request, res: Response) {
      res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
      res.send(brandCss);
    },

    /** GET /authorize over its per-address limit: a page, since a browser asked (RFC 6749 §4.1.2.1 names the code). */
    tooManyRequests(res: Response, retryAfterSeconds: number) {
      showError(res, 429, {
        title: 'Too many sign-in requests',
        message: `Too many sign-in requests came from your network. Wait ${describeWait(retryAfterSeconds)} and try again.`,
        code: 'temporarily_unavailable',
      });
    },

    /** GET /authorize */
    async show(req: Request, res: Response) {
      let pending: PendingAuthorization;
      try {
        pending = await deps.authorize.start(req.query);
      } catch (error) {
        if (error instanceof AuthorizationFailure) return failAuthorization(res, error);
        throw error;
      }
      showForm(req, res, pending, 200);
    },

    /** POST /authorize */
    async submit(req: Request, res: Response) {
      let form: Record<(typeof FORM_FIELDS)[number], string | undefined>;
      try {
        form = readParams(req.body, FORM_FIELDS) as typeof form;
      } catch {
        return showError(res, 400, { title: 'This sign-in form is not valid', message: 'A field was sent more than once.', code: 'invalid_request' });
      }
      const pending = form.interaction ? await deps.authorize.load(form.interaction) : undefined;
      if (pending === undefined) {
        return showError(res, 400, EXPIRED);
      }
      const state: FormState = {
        email: form.email?.trim().slice(0, 320),
        acceptDisclaimer: form.accept_disclaimer !== undefined,
        sharePii: form.share_pii !== undefined,
        readOnly: form.read_only !== undefined,
      };
      if (!checkCsrf(readCookie(req.headers.cookie, cookieName), pending.id, form.csrf)) {
        deps.log.info({ clientId: pending.clientId }, 'sign-in form refused: CSRF check failed');
        return showForm(req, res, pending, 403, { message: 'Your browser did not send this form back as expected (cookies may be blocked). Please try again.' }, state);
      }
      if (form.action === 'cancel') {
        const target = await deps.authorize.deny(pending.id);
        audit(deps.log, 'authorization.denied', { clientId: pending.clientId });
        return target ? res.redirect(303, target) : showError(res, 400, EXPIRED);
      }
      if (!state.acceptDisclaimer) {
        return showForm(req, res, pending, 400, { message: 'Tick the box to confirm you understand what a connected AI assistant can do.', fields: ['accept_disclaimer'] }, state);
      }
      if (!state.email || !form.password) {
        return showForm(req, res, pending, 400, { message: 'Enter your email and password.', fields: state.email ? ['password'] : ['email', 'password'] }, state);
      }

      // Each attempt is counted before the upstream sees the password, so parallel guesses cannot all
      // pass a check made before any of them has failed; it is given back unless the password was wrong.
      const counters = [
        [limits.perAccount, createHash('sha256').update(state.email.toLowerCase()).digest('base64url')],
        [limits.perAddress, addressSubject(req.ip)],
      ] as const;
      const counted = await Promise.all(counters.map(([rule, subject]) => consumeRateLimit(deps.store, rule, subject)));
      // Best effort: an attempt left counted expires with its window, a sign-in failed over it would not come back.
      const giveBack = () =>
        Promise.all(counters.map(([rule, subject], index) => refundRateLimit(deps.store, rule, subject, counted[index]!))).catch((error: unknown) => {
          deps.log.warn({ err: error, clientId: pending.clientId }, 'sign-in attempt not given back; it counts until its window ends');
        });
      const refused = counted.filter((result) => !result.allowed);
      if (refused.length > 0) {
        await giveBack();
        audit(deps.log, 'signin.throttled', { clientId: pending.clientId });
        // Until the window that refused it ends, not a whole window from now.
        const retryAfterSeconds = Math.max(...refused.map((result) => result.retryAfterSeconds));
        res.setHeader('Retry-After', String(retryAfterSeconds));
        return showForm(req, res, pending, 429, { message: `Too many failed sign-in attempts. Wait ${describeWait(retryAfterSeconds)} and try again.` }, state);
      }

      let signedIn;
      try {
        signedIn = await deps.upstream.signIn(state.email, form.password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) {
          audit(deps.log, 'signin.failed', { clientId: pending.clientId, reason: 'invalid_credentials' });
          return showForm(req, res, pending, 401, { message: 'The email or password is not correct.', fields: ['email', 'password'] }, state);
        }
        // Busy or unreachable: nobody learnt whether the password was right.
        await giveBack();
        if (error instanceof SignInBusyError) {
          deps.log.warn({ clientId: pending.clientId }, 'sign-in refused: too many sign-ins in progress (SIGNIN_CONCURRENCY)');
          res.setHeader('Retry-After', '5');
          return showForm(req, res, pending, 503, { message: 'Many people are signing in right now. Please try again in a few seconds.' }, state);
        }
        deps.log.error({ err: error, clientId: pending.clientId }, 'upstream sign-in failed');
        return showForm(req, res, pending, 503, { message: 'The account system cannot be reached right now. Please try again in a moment.' }, state);
      }
      await giveBack();

      const { account } = signedIn;
      if (!account.roles.some((role) => deps.signinRoles.includes(role))) {
        audit(deps.log, 'signin.refused', { clientId: pending.clientId, accountId: account.id, reason: 'role' });
        revokeInBackground(deps.upstream, signedIn.accessToken, deps.log, { clientId: pending.clientId });
        return showForm(req, res, pending, 403, { message: 'This account cannot connect an AI assistant: only administrator accounts can sign in here.', fields: ['email'] }, state);
      }

      const readOnly = state.readOnly || account.readOnly;
      const scopes = readOnly ? pending.scopes.filter((scope) => scope !== WRITE_SCOPE) : pending.scopes;
      let session;
      try {
        session = await deps.sessions.create({
          account: { id: account.id, name: account.name, email: account.email, roles: account.roles, readOnly: account.readOnly },
          clientId: pending.clientId,
          scopes,
          sharePii: state.sharePii === true,
          upstreamToken: signedIn.accessToken,
          upstreamExpiresAt: signedIn.expiresAt,
        });
      } catch (error) {
        // No session holds the upstream token, so nothing would ever end it.
        revokeInBackground(deps.upstream, signedIn.accessToken, deps.log, { clientId: pending.clientId });
        throw error;
      }
      // No code will ever name this session: end it now rather than leave it, and its upstream token,
      // for its whole lifetime. The token is given back here too: ending a session revokes it only
      // when the session can still be read, and revoking twice is harmless (RFC 7009 §2.2).
      const abandon = async () => {
        await deps.sessions.end(session.id, 'revoked').catch((error: unknown) => {
          deps.log.warn({ err: error, clientId: pending.clientId, sessionId: session.id }, 'session of an unfinished sign-in not ended; it expires on its own');
        });
        revokeInBackground(deps.upstream, signedIn.accessToken, deps.log, { clientId: pending.clientId });
      };
      let target;
      try {
        target = await deps.authorize.finish(pending.id, { sessionId: session.id, scopes });
      } catch (error) {
        await abandon();
        throw error;
      }
      if (target === undefined) {
        await abandon();
        return showError(res, 400, EXPIRED);
      }
      audit(deps.log, 'signin.succeeded', { clientId: pending.clientId, accountId: account.id, sessionId: session.id });
      res.redirect(303, target);
    },
  };
}
