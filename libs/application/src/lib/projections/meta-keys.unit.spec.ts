import { metaKey, metaPrefix, parseMetaKey, type MetaKey } from './meta-keys';

describe('the meta key space', () => {
  it('builds the keys stored today unchanged', () => {
    expect(metaKey({ kind: 'parked', collection: 'cases@1', key: 'c-1', position: '42' })).toBe('parked/cases@1/c-1/00000000000000000042');
    expect(metaKey({ kind: 'skipped', collection: 'cases@1', key: 'c-1', position: '42' })).toBe(
      'skipped/cases@1/c-1/00000000000000000042',
    );
    expect(metaKey({ kind: 'parked-request', collection: 'cases@1', key: 'c-1' })).toBe('parked-request/cases@1/c-1');
    expect(metaKey({ kind: 'active', projection: 'cases' })).toBe('active/cases');
    expect(metaKey({ kind: 'rebuild', projection: 'cases' })).toBe('rebuild/cases');
  });

  it('lists by prefixes that end at a segment', () => {
    expect(metaPrefix('parked')).toBe('parked/');
    expect(metaPrefix('parked', 'cases@1')).toBe('parked/cases@1/');
    expect(metaPrefix('parked', 'cases@1', 'c-1')).toBe('parked/cases@1/c-1/');
    expect(
      metaKey({ kind: 'parked', collection: 'cases@1', key: 'c-1', position: '1' }).startsWith(metaPrefix('parked', 'cases@1', 'c-1')),
    ).toBe(true);
  });

  it('keeps a document key holding "/" out of another document\'s prefix', () => {
    const nested = metaKey({ kind: 'parked', collection: 'visits@1', key: 'a/b', position: '7' });
    expect(nested.startsWith(metaPrefix('parked', 'visits@1', 'a'))).toBe(false);
    expect(nested.startsWith(metaPrefix('parked', 'visits@1', 'a/b'))).toBe(true);
  });

  it('reads back what it builds, and nothing else', () => {
    const keys: MetaKey[] = [
      { kind: 'parked', collection: 'cases@1', key: 'a/b%c', position: '9007199254740993' },
      { kind: 'skipped', collection: 'cases@2', key: 'c-1', position: '0' },
      { kind: 'parked-request', collection: 'timeline@1', key: 'c-2' },
      { kind: 'active', projection: 'cases' },
      { kind: 'rebuild', projection: 'timeline' },
    ];
    for (const key of keys) expect(parseMetaKey(metaKey(key))).toEqual(key);
    expect(parseMetaKey('lease/cases')).toBeNull();
    expect(parseMetaKey('parked/cases@1/c-1')).toBeNull();
    expect(parseMetaKey('parked/cases@1/c-1/x')).toBeNull();
  });
});
