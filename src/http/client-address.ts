/**
 * The subject of a per-address limit. An IPv6 client usually holds a whole /64 (SLAAC, privacy
 * addresses), so counting each address apart would give it 2^64 budgets: its /64 is the subject.
 * An IPv4-mapped address counts as the IPv4 address it maps.
 */
import { isIPv6 } from 'node:net';

export function addressSubject(ip: string | undefined): string {
  if (ip === undefined || ip === '') return 'unknown';
  const address = ip.replace(/%.*$/, ''); // a zone id names an interface of ours, not the client
  if (!isIPv6(address)) return address;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  return `${groupsOf(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, without leading zeros. */
function groupsOf(address: string): string[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const parts = (text: string) => (text === '' ? [] : text.split(':').flatMap((part) => (part.includes('.') ? ['0', '0'] : [part])));
  const before = parts(head);
  const after = tail === undefined ? [] : parts(tail);
  const zeros = Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...(tail === undefined ? [] : zeros), ...after].map((group) => parseInt(group, 16).toString(16));
}
