import { describe, expect, it } from 'vitest';
import { inspectParams, readParams } from '../../../src/oauth/request-params.js';

describe('inspectParams', () => {
  it.each([
    ['a single value', { scope: 'mcp:read' }, { scope: 'mcp:read' }, []],
    ['a missing value', {}, { scope: undefined }, []],
    ['an empty value, as missing', { scope: '' }, { scope: undefined }, []],
    ['a repeated value', { scope: ['mcp:read', 'mcp:write'] }, { scope: undefined }, ['scope']],
    ['a repeated empty value', { scope: ['', ''] }, { scope: undefined }, ['scope']],
    ['a nested value', { scope: { a: 'b' } }, { scope: undefined }, ['scope']],
  ])('reads %s', (_name, source, params, repeated) => {
    expect(inspectParams(source, ['scope'])).toEqual({ params, repeated });
  });

  it('lists every repeated parameter in the order asked for, and ignores the ones not asked for', () => {
    const source = { state: ['a', 'b'], scope: ['x', 'y'], client_id: 'c', other: ['1', '2'] };
    expect(inspectParams(source, ['client_id', 'scope', 'state'])).toEqual({ params: { client_id: 'c', scope: undefined, state: undefined }, repeated: ['scope', 'state'] });
  });
});

describe('readParams', () => {
  it('throws invalid_request naming a repeated parameter', () => {
    expect(() => readParams({ token: ['a', 'b'] }, ['token'])).toThrow(expect.objectContaining({ code: 'invalid_request', description: 'The token parameter must be given once.' }));
  });
});
