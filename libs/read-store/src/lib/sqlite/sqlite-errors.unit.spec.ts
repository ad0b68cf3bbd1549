import { ReadStoreUnavailableError } from '../errors';
import { isMissingTable, translateBusy } from './sqlite-errors';

describe('sqlite errors', () => {
  it.each([['SQLITE_BUSY'], ['SQLITE_BUSY_SNAPSHOT'], ['SQLITE_LOCKED']])('turns %s into ReadStoreUnavailableError', (code) => {
    // A look-alike: the addon's own class may come from another realm anyway.
    const busy = Object.assign(new Error('database is locked'), { code });
    const translated = translateBusy(busy);
    expect(translated).toBeInstanceOf(ReadStoreUnavailableError);
    expect((translated as ReadStoreUnavailableError).cause).toBe(busy);
  });

  it('passes other errors through', () => {
    const constraint = Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    for (const error of [constraint, new RangeError('bad'), null, 'text']) expect(translateBusy(error)).toBe(error);
  });

  it('recognises a dropped table', () => {
    expect(isMissingTable(Object.assign(new Error('no such table: doc_cases_1'), { code: 'SQLITE_ERROR' }))).toBe(true);
    expect(isMissingTable(new Error('no such column: ix_status'))).toBe(false);
    expect(isMissingTable(undefined)).toBe(false);
  });
});
