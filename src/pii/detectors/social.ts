/**
 * Links to personal social profiles (twitter/x, linkedin.com/in, facebook by name or numeric id
 * `profile.php?id=…`, instagram, github, tiktok, threads, youtube handles).
 */

import { addSpan, type Span } from './span.js';

const HANDLE = '@?[\\p{L}\\p{N}_.\\-%]+';
const PROFILE = new RegExp(
  `(?<![\\p{L}\\p{N}.])(?:https?:\\/\\/)?(?:(?:www|m|mobile|[a-z]{2})\\.)?` +
    `(?:facebook\\.com\\/profile\\.php\\?id=\\d+|(?:twitter|x|facebook|fb|instagram|github|tiktok|threads)\\.(?:com|net)\\/${HANDLE}` +
    `|linkedin\\.com\\/(?:in|pub)\\/${HANDLE}|youtube\\.com\\/(?:@|c\\/|user\\/|channel\\/)${HANDLE})\\/?`,
  'giu',
);

export function hasSocialHint(text: string): boolean {
  return text.includes('.com/') || text.includes('.net/');
}

export function detectSocialLinks(text: string, spans: Span[]): void {
  PROFILE.lastIndex = 0;
  for (let m = PROFILE.exec(text); m !== null; m = PROFILE.exec(text)) {
    addSpan(spans, { start: m.index, end: m.index + m[0].length, category: 'SOCIAL' });
  }
}
