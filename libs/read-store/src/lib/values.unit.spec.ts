import { canonicalJson, indexValuesOf, jsonOf, prefixUpperBound, searchText } from './values';

describe('canonicalJson', () => {
  it('gives deep-equal values the same text, whatever their key order', () => {
    const a = { b: 1, a: { d: [{ y: 1, x: 2 }], c: null }, ü: 'ä' };
    const b = { ü: 'ä', a: { c: null, d: [{ x: 2, y: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"x":2,"y":1}]},"b":1,"ü":"ä"}');
  });

  it('keeps array order and tells different values apart', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('refuses values that are not JSON or null', () => {
    expect(() => canonicalJson(null)).toThrow(RangeError);
    expect(() => canonicalJson(undefined)).toThrow(RangeError);
    expect(() => canonicalJson(() => 1)).toThrow(RangeError);
  });
});

describe('jsonOf', () => {
  it('stores JSON and refuses undefined', () => {
    expect(jsonOf('a', { a: 1 })).toBe('{"a":1}');
    expect(jsonOf('a', 'text')).toBe('"text"');
    expect(() => jsonOf('a', undefined)).toThrow(RangeError);
  });
});

describe('searchText', () => {
  it('lowercases beyond ASCII and composes decomposed letters', () => {
    expect(searchText('Familie MÜLLER')).toBe('familie müller');
    expect(searchText('Mu\u0308ller')).toBe('müller');
    expect(searchText('ÄÖÜ ẞ')).toBe('äöü ß');
  });

  it('has no text for other values', () => {
    expect(searchText(null)).toBeNull();
    expect(searchText(12)).toBeNull();
    expect(searchText(true)).toBeNull();
  });
});

describe('prefixUpperBound', () => {
  it('is the prefix with its last character raised by one', () => {
    expect(prefixUpperBound('parked/')).toBe('parked0');
    expect(prefixUpperBound('a%')).toBe('a&');
    expect(prefixUpperBound('ü')).toBe('ý');
  });

  it('bounds every string that starts with the prefix, and nothing else', () => {
    const prefix = 'p/';
    const upper = prefixUpperBound(prefix) as string;
    for (const inside of ['p/', 'p/a', 'p/\u{10FFFF}', 'p/🏠', 'p/\uFFFF']) {
      expect(inside >= prefix && inside < upper).toBe(true);
    }
    for (const outside of ['p0', 'p0a', 'q', 'p\u{10FFFF}']) expect(outside >= upper).toBe(true);
    for (const before of ['p', 'p.', 'o/']) expect(before < prefix).toBe(true);
  });

  it('skips the surrogate range and carries past the highest code point', () => {
    expect(prefixUpperBound('a\uD7FF')).toBe('a\uE000');
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{10FFFF}')).toBeNull();
    expect(prefixUpperBound('')).toBeNull();
  });
});

describe('indexValuesOf', () => {
  const spec = { name: 'cases@1', indexes: ['status', 'due', 'rank'] };

  it('orders values as the spec, with null for missing ones', () => {
    const write = { id: 'a', doc: {}, position: 1n, index: { rank: 2, status: 'open' } };
    expect(indexValuesOf(spec, write)).toEqual(['open', null, 2]);
  });

  it('has only nulls for a deleted document', () => {
    expect(indexValuesOf(spec, { id: 'a', doc: null, position: 1n, index: { status: 'open' } })).toEqual([null, null, null]);
  });
});
