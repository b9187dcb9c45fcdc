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
  const groups = groupsOf(address);
  // ::ffff:a.b.c.d in any spelling (dotted, hex, written out) is an IPv4 client.
  if (groups.slice(0, 5).every((group) => group === '0') && groups[5] === 'ffff') {
    const [high, low] = [parseInt(groups[6]!, 16), parseInt(groups[7]!, 16)];
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, without leading zeros. */
function groupsOf(address: string): string[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const parts = (text: string) => (text === '' ? [] : text.split(':').flatMap((part) => (part.includes('.') ? ipv4Groups(part) : [part])));
  const before = parts(head);
  const after = tail === undefined ? [] : parts(tail);
  const zeros = Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...(tail === undefined ? [] : zeros), ...after].map((group) => parseInt(group, 16).toString(16));
}

/** The two 16-bit groups of a dotted IPv4 tail. */
function ipv4Groups(dotted: string): string[] {
  const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
