import { assertSameIndexes, assertSpec, storageNameOf } from './collections';

describe('collection names', () => {
  it('maps a collection to its table or collection name', () => {
    expect(storageNameOf('cases@1')).toBe('doc_cases_1');
    expect(storageNameOf('case-list@12')).toBe('doc_case_list_12');
    expect(storageNameOf('timeline')).toBe('doc_timeline');
  });

  it('maps different names to different storage names', () => {
    const names = ['a@1', 'a-b@1', 'a-b1', 'a', 'a1', 'ab@1', 'a-b', 'a-b-c@2', 'a-bc@2', 'ab-c@2', 'a@12', 'a1@2'];
    expect(new Set(names.map(storageNameOf)).size).toBe(names.length);
  });

  const invalid = ['Cases@1', 'cases_1', 'cases@', '@1', '1cases', 'a-1@1', 'a--b', 'cases@1@2', 'x'.repeat(65), 'cä@1'];
  it.each(invalid.map((name) => [name]))('refuses %j', (name) => {
    expect(() => storageNameOf(name)).toThrow(RangeError);
  });
});

describe('collection specs', () => {
  it('accepts index fields of letters and digits', () => {
    expect(() => assertSpec({ name: 'cases@1', indexes: ['status', 'nextVisitDueOn', 'a1'] })).not.toThrow();
    expect(() => assertSpec({ name: 'cases@1', indexes: [] })).not.toThrow();
  });

  it('refuses invalid, duplicate and too many index fields', () => {
    expect(() => assertSpec({ name: 'cases@1', indexes: ['next_visit'] })).toThrow(RangeError);
    expect(() => assertSpec({ name: 'cases@1', indexes: ['due', 'Due'] })).toThrow(/twice/);
    expect(() => assertSpec({ name: 'cases@1', indexes: Array.from({ length: 33 }, (_, i) => `f${i}`) })).toThrow(RangeError);
  });

  it('compares index sets regardless of order', () => {
    expect(() => assertSameIndexes({ name: 'cases@1', indexes: ['a', 'b'] }, ['b', 'a'])).not.toThrow();
    const changed = () => assertSameIndexes({ name: 'cases@1', indexes: ['a', 'b'] }, ['a']);
    expect(changed).toThrow(/exists with indexes \[a\], not \[a, b\]/);
    expect(() => assertSameIndexes({ name: 'cases@1', indexes: ['a'] }, ['b'])).toThrow(/new generation/);
  });
});
