/**
 * Plausible personal data for the generator, always in reserved spaces: e-mails on example.*
 * domains, phone numbers in Ofcom's drama ranges (020 7946 0xxx, 0161 496 0xxx, 07700 900xxx)
 * and the North American 555-01xx block. IBANs carry valid ISO 13616 checksums and GB VAT
 * numbers valid mod-97 check digits, so detectors that verify checksums recognise them.
 */
import type { Random } from './random.js';
import type { DemoLocation } from './locations.js';

/** ISO 13616 check digits for a country code and BBAN. */
export function computeIbanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`;
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return String(98 - remainder).padStart(2, '0');
}

export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact)) return false;
  return computeIbanCheckDigits(compact.slice(0, 2), compact.slice(4)) === compact.slice(2, 4);
}

const GB_BANKS = ['NWBK', 'MIDL', 'BARC', 'LOYD'] as const;
const IE_BANKS = ['AIBK', 'BOFI'] as const;
const NL_BANKS = ['ABNA', 'INGB', 'RABO'] as const;

export function buildIban(random: Random, country: 'GB' | 'IE' | 'DE' | 'NL'): string {
  let bban: string;
  switch (country) {
    case 'GB':
      bban = `${random.pick(GB_BANKS)}${random.digits(6)}${random.digits(8)}`;
      break;
    case 'IE':
      bban = `${random.pick(IE_BANKS)}${random.digits(6)}${random.digits(8)}`;
      break;
    case 'NL':
      bban = `${random.pick(NL_BANKS)}${random.digits(10)}`;
      break;
    case 'DE':
      bban = `${random.digits(8)}${random.digits(10)}`;
      break;
  }
  const compact = `${country}${computeIbanCheckDigits(country, bban)}${bban}`;
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

/** GB VAT number with valid mod-97 check digits (weights 8..2 over the first seven digits). */
export function buildGbVatNumber(random: Random): string {
  const body = random.digits(7);
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(body[i]) * (8 - i);
  const check = String((97 - (sum % 97)) % 97).padStart(2, '0');
  return `GB${body}${check}`;
}

export function buildIeVatNumber(random: Random): string {
  return `IE${random.digits(7)}${random.pick(['A', 'B', 'C', 'D', 'E', 'F', 'H', 'W'])}`;
}

export function buildMobilePhone(random: Random): string {
  const subscriber = `900${random.digits(3)}`;
  switch (random.int(0, 3)) {
    case 0:
      return `+44 7700 ${subscriber}`;
    case 1:
      return `07700 ${subscriber}`;
    case 2:
      return `+447700${subscriber}`;
    default:
      return `+1 202-555-01${random.digits(2)}`;
  }
}

export function buildLandLine(random: Random, location: DemoLocation): string {
  const last = random.digits(3);
  const { international, local } = location.landLinePrefix;
  switch (random.int(0, 2)) {
    case 0:
      return `${international}${last}`;
    case 1:
      return `${local}${last}`;
    default: {
      const [area, ...rest] = local.split(' ');
      return `(${area}) ${rest.join(' ')}${last}`;
    }
  }
}

export function buildPostCode(random: Random, location: DemoLocation): string {
  const area = random.pick(location.postCodeAreas);
  if (location.currency === 'EUR') return `${area} ${random.pick(['X', 'Y', 'W', 'K'])}${random.digits(2)}${random.pick(['A', 'C', 'E', 'F'])}`;
  return `${area} ${random.int(1, 9)}${random.pick(['AB', 'DN', 'EP', 'HW', 'JX', 'LR', 'QT', 'SU'])}`;
}

export function buildIdDocumentNumber(random: Random): string {
  switch (random.int(0, 2)) {
    case 0:
      return random.digits(9);
    case 1:
      return `P${random.digits(8)}`;
    default:
      return `${random.pick(['SMITH', 'JONES', 'PATEL', 'KELLY'])}${random.digits(6)}AB9${random.pick(['CD', 'EF', 'GH'])}`;
  }
}

/** `Amelia`, `O'Brien` → `amelia.obrien`: the local part of a generated e-mail. */
export function toEmailLocalPart(firstName: string, lastName: string): string {
  return `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
}

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}
