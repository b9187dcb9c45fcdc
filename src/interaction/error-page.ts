/**
 * The page for requests that cannot go back to the client (unknown client, a redirect URI that was
 * never registered, an expired form): what happened and what the person can do about it. It never
 * links to the requested redirect URI, which is exactly what could not be trusted.
 */
import type { Branding } from '../config.js';
import { brandMark, supportBlock } from './sign-in-view.js';
import { escapeHtml, type Template } from './templates.js';

export interface ErrorPageContent {
  title: string;
  message: string;
  code: string;
  hint?: string;
}

/** A specific next step for the failures a person can meet, chosen from the OAuth error. */
export function errorHint(code: string, message: string): string | undefined {
  if (code === 'invalid_client') {
    return 'The app is not registered here, for example because the server was reset. Remove the connector in the app and add it again; the app will register itself anew.';
  }
  if (/redirect_uri/.test(message)) {
    return 'The link asked to send you to an address the app never registered, so this server refused it to protect your account. Do not sign in from this link.';
  }
  if (/expired|already used/.test(message)) {
    return 'Sign-in links are valid for 10 minutes and only once.';
  }
  return undefined;
}

export function renderErrorPage(template: Template, branding: Branding, content: ErrorPageContent): string {
  const hint = content.hint ?? errorHint(content.code, content.message);
  return template({
    productName: branding.productName,
    brandMark: brandMark(branding),
    supportBlock: supportBlock(branding),
    title: content.title,
    message: content.message,
    code: content.code,
    hintBlock: hint ? `<p>${escapeHtml(hint)}</p>` : '',
  });
}
