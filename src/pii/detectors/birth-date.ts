/**
 * Dates of birth in free text, only in context: a date (ISO, year first with `/`, `.` or spaces,
 * d/m/y, "12-MAR-1985", "1985-Mar-12", "12 March 1985", "March 12, 1985") or a bare year right
 * after "born", "date of birth", "birth date", "birthday", "DOB", "geboren", "née le", also written
 * as a key (`dateOfBirth:`, `birth_date=`, `"dob":"…"`). A year-first date is matched whole
 * before the bare year, which would leave its month and day in plain. A date on its own is never
 * flagged: bookings and invoices are full of dates. Fields named like a birth date are handled by the field rules instead.
 */

import { addSpan, type Span } from './span.js';

const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const SEP = '[./\\- ]';
const DATE =
  `\\d{4}[./\\-]\\d{1,2}[./\\-]\\d{1,2}|\\d{4} \\d{2} \\d{2}|\\d{4}${SEP}${MONTH}${SEP}\\d{1,2}` +
  `|\\d{1,2}[./\\-]\\d{1,2}[./\\-]\\d{2,4}|\\d{1,2}[./\\-]${MONTH}[./\\-]\\d{2,4}` +
  `|\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH},?\\s+\\d{4}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}` +
  `|(?:19|20)\\d\\d`;
// Also as a key: dateOfBirth, date_of_birth, birth_date, "dob":
const CONTEXT =
  '(?:born(?:\\s+(?:on|in))?|date[\\s_\\-]*of[\\s_\\-]*birth|birth[\\s_\\-]*date|birthday|dob|d\\.o\\.b\\.?|geboren(?:\\s+am)?|n[ée]e?\\s+le)';
const BIRTH_DATE = new RegExp(
  `(?<![\\p{L}])${CONTEXT}(?![\\p{L}])[\\s:,\\-–—=\"'“”‘’]*(?:(?:the|on|is|was)\\s+)?(${DATE})(?![\\p{N}])`,
  'giud',
);
const HINT = /born|birth|dob|d\.o\.b|geboren|n[ée]e?\s+le/i;

export function hasBirthHint(text: string): boolean {
  return HINT.test(text);
}

export function detectBirthDates(text: string, spans: Span[]): void {
  BIRTH_DATE.lastIndex = 0;
  for (let m = BIRTH_DATE.exec(text); m !== null; m = BIRTH_DATE.exec(text)) {
    const at = m.indices?.[1];
    if (at) addSpan(spans, { start: at[0], end: at[1], category: 'DOB' });
  }
}
