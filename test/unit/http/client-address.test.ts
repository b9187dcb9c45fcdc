import { describe, expect, it } from 'vitest';
import { addressSubject } from '../../../src/http/client-address.js';

describe('addressSubject', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['0:0:0:0:0:FFFF:203.0.113.7', '203.0.113.7'],
    ['0000:0000:0000:0000:0000:ffff:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:1::', '2001:db8:1:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['::', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['2001:DB8:A:B:0:0:192.0.2.1', '2001:db8:a:b::/64'],
    [undefined, 'unknown'],
  ])('%s → %s', (ip, subject) => {
    expect(addressSubject(ip)).toBe(subject);
  });

  it('gives every address of one /64 the same subject, and the next /64 another', () => {
    expect(addressSubject('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(addressSubject('2001:db8:1:2::'));
    expect(addressSubject('2001:db8:1:3::')).not.toBe(addressSubject('2001:db8:1:2::'));
  });
});
