import { describe, expect, it } from 'vitest';
import { decodeJson } from '../../../src/upstream/decode-json.js';
import { UpstreamUnavailableError } from '../../../src/upstream/errors.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('decodeJson', () => {
  it('reads ASCII and UTF-8 bodies alike, from a view into a larger buffer too', () => {
    expect(decodeJson({ status: 200, bytes: bytes('{"name":"Ella","n":1}') }).body).toEqual({ name: 'Ella', n: 1 });
    expect(decodeJson({ status: 200, bytes: bytes('{"name":"Chloé Müller","city":"Zürich","x":"東京 😀"}') }).body).toEqual({
      name: 'Chloé Müller',
      city: 'Zürich',
      x: '東京 😀',
    });
    const shared = Buffer.from('xx{"a":"é"}yy{"b":"plain"}zz', 'utf8');
    const [first, second] = [shared.indexOf('{"a"'), shared.indexOf('{"b"')];
    expect(decodeJson({ status: 200, bytes: shared.subarray(first, shared.indexOf('yy')) }).body).toEqual({ a: 'é' });
    expect(decodeJson({ status: 200, bytes: shared.subarray(second, shared.indexOf('zz')) }).body).toEqual({ b: 'plain' });
  });

  it('drops a leading byte order mark', () => {
    expect(decodeJson({ status: 200, bytes: bytes('\uFEFF{"a":1}') }).body).toEqual({ a: 1 });
  });

  it('reads an empty body as undefined; a non-JSON success is an upstream failure, a non-JSON error keeps its status', () => {
    expect(decodeJson({ status: 204, bytes: new Uint8Array() })).toEqual({ status: 204, body: undefined });
    expect(() => decodeJson({ status: 200, bytes: bytes('<html>') })).toThrow(UpstreamUnavailableError);
    expect(decodeJson({ status: 502, bytes: bytes('<html>Bad gateway</html>') })).toEqual({ status: 502, body: undefined });
  });
});
