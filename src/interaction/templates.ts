/**
 * Server-rendered pages from views/. `{{name}}` is HTML-escaped, `{{{name}}}` is inserted as is and
 * is only ever given fragments built here from escaped parts. Templates are read once at start-up.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const VIEWS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

export type Template = (values: Record<string, string>) => string;

export function loadTemplate(name: string): Template {
  const source = readFileSync(path.join(VIEWS_DIR, name), 'utf8');
  return (values) =>
    source.replace(/\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}/g, (_match, raw: string | undefined, escaped: string | undefined) =>
      raw !== undefined ? (values[raw] ?? '') : escapeHtml(values[escaped!] ?? ''),
    );
}
