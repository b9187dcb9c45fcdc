/**
 * What the sign-in page shows, computed from a pending authorization: pure functions that turn it
 * into template values (HTML fragments built only from escaped parts). Rendering, cookies and
 * headers stay in sign-in.ts; this module does no I/O.
 */
import type { Branding } from '../config.js';
import { isLoopbackHost } from '../loopback.js';
import { READ_SCOPE, WRITE_SCOPE, type PendingAuthorization } from '../oauth/index.js';
import { escapeHtml } from './templates.js';

export const SCOPE_WORDS: Record<string, string> = {
  [READ_SCOPE]: 'Read records in your account (members, bookings, invoices and more)',
  [WRITE_SCOPE]: 'Create, change and delete records on your behalf',
};

/** The fields an error can point at; each gets `aria-invalid` and is described by the message. */
export type FieldName = 'email' | 'password' | 'accept_disclaimer';

export interface FormError {
  message: string;
  fields?: readonly FieldName[];
}

export interface FormState {
  email?: string;
  acceptDisclaimer?: boolean;
  sharePii?: boolean;
  readOnly?: boolean;
}

export const ERROR_ID = 'form-error';

/** "8 hours", "90 minutes", "1 hour": the largest whole unit, in words. */
export function describeDuration(ms: number): string {
  const units: Array<[string, number]> = [['hour', 3_600_000], ['minute', 60_000], ['second', 1000]];
  const [unit, size] = units.find(([, size]) => ms >= size && ms % size === 0) ?? ['second', 1000];
  const count = Math.max(1, Math.round(ms / size));
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** How long to wait, rounded up to what a person reads: "45 seconds", "5 minutes" (never less than the wait). */
export function describeWait(seconds: number): string {
  return describeDuration(seconds < 60 ? Math.max(1, Math.ceil(seconds)) * 1000 : Math.ceil(seconds / 60) * 60_000);
}

/**
 * Where the code will be delivered when it stays on this device: a loopback http redirect
 * (RFC 8252 §7.3) or a private-use scheme of a native app (RFC 8252 §7.1). Undefined otherwise.
 */
export function localRedirectTarget(redirectUri: string): string | undefined {
  if (!URL.canParse(redirectUri)) return undefined;
  const url = new URL(redirectUri);
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url.hostname;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol}// link`;
  return undefined;
}

/** A client-supplied logo is shown only over https, so the page never loads mixed or local content. */
export function safeLogoUrl(logoUri: string | undefined): string | undefined {
  if (logoUri === undefined || logoUri.length > 2000 || !URL.canParse(logoUri)) return undefined;
  const url = new URL(logoUri);
  return url.protocol === 'https:' && !url.username && !url.password ? url.href : undefined;
}

export function brandMark(branding: Pick<Branding, 'productName' | 'logoUrl'>): string {
  return branding.logoUrl ? `<img class="brand-logo" src="${escapeHtml(branding.logoUrl)}" alt="" width="32" height="32">` : '';
}

export function supportBlock(branding: Pick<Branding, 'supportUrl'>): string {
  if (!branding.supportUrl) return '';
  const label = branding.supportUrl.startsWith('mailto:') ? branding.supportUrl.slice('mailto:'.length) : 'Contact support';
  return `<p class="support">Need help? <a href="${escapeHtml(branding.supportUrl)}">${escapeHtml(label)}</a></p>`;
}

/** Attributes of one field: invalid state, what describes it, and whether it takes the focus. */
function fieldAttributes(field: FieldName, describedBy: string | undefined, error: FormError | undefined, focus: FieldName): string {
  const invalid = error?.fields?.includes(field) ?? false;
  const ids = [invalid ? ERROR_ID : undefined, describedBy].filter(Boolean).join(' ');
  return [invalid ? ' aria-invalid="true"' : '', ids ? ` aria-describedby="${ids}"` : '', field === focus ? ' autofocus' : ''].join('');
}

export interface SignInViewOptions {
  branding: Branding;
  sessionLength: string;
  interaction: string;
  csrf: string;
  error?: FormError;
  state?: FormState;
}

export function buildSignInView(pending: PendingAuthorization, options: SignInViewOptions): Record<string, string> {
  const { branding, error, state = {} } = options;
  const clientName = pending.clientName?.trim() || 'An unnamed application';
  const logo = safeLogoUrl(pending.logoUri);
  const local = localRedirectTarget(pending.redirectUri);
  const focus: FieldName = error?.fields?.[0] ?? (state.email ? 'password' : 'email');
  const checked = (on: boolean | undefined) => (on ? ' checked' : '');

  return {
    productName: branding.productName,
    brandMark: brandMark(branding),
    supportBlock: supportBlock(branding),
    clientName,
    clientLogo: logo ? `<img class="client-logo" src="${escapeHtml(logo)}" alt="" width="48" height="48">` : '',
    destination: local
      ? `<p class="notice local" id="local-notice">This app will receive access on this computer (${escapeHtml(local)}). You will be sent back to <strong>${escapeHtml(pending.redirectHost)}</strong>.</p>`
      : `<p class="who">After you sign in you will be sent back to <strong>${escapeHtml(pending.redirectHost)}</strong>.</p>`,
    scopeItems: pending.scopes.map((scope) => `<li>${escapeHtml(SCOPE_WORDS[scope] ?? scope)}</li>`).join(''),
    errorBlock: error ? `<p class="error" role="alert" id="${ERROR_ID}">${escapeHtml(error.message)}</p>` : '',
    interaction: options.interaction,
    csrf: options.csrf,
    email: state.email ?? '',
    emailAttributes: fieldAttributes('email', undefined, error, focus),
    passwordAttributes: fieldAttributes('password', undefined, error, focus),
    disclaimerAttributes: fieldAttributes('accept_disclaimer', 'disclaimer-text', error, focus) + checked(state.acceptDisclaimer),
    sessionLength: options.sessionLength,
    sharePiiChecked: checked(state.sharePii),
    readOnlyChecked: checked(state.readOnly),
  };
}
