import { entry } from '../../testing';
import { clientOptionsFor, dbNameOf, filterOf, fromRecord, toRecord } from './mongo-mapping';

describe('MongoDB access log mapping', () => {
  it('stores the id as _id and the time as a date, and maps back to the same entry', () => {
    const original = entry({ at: '2026-03-01T09:15:30.123Z', action: 'caseload' });
    const record = toRecord(original);
    expect(record).toEqual({
      _id: original.id,
      at: new Date('2026-03-01T09:15:30.123Z'),
      userId: original.userId,
      role: 'caseworker',
      caseId: original.caseId,
      action: 'caseload',
    });
    expect(fromRecord(record)).toEqual(original);
  });

  it('builds the filter of a query: bounds on at, ids, and the keyset condition after a cursor', () => {
    expect(filterOf({ limit: 5 })).toEqual({});
    expect(filterOf({ from: '2026-01-01T00:00:00.000Z', before: '2026-02-01T00:00:00.000Z', userId: 'u', caseId: 'c', limit: 5 })).toEqual({
      at: { $gte: new Date('2026-01-01T00:00:00.000Z'), $lt: new Date('2026-02-01T00:00:00.000Z') },
      userId: 'u',
      caseId: 'c',
    });
    const at = new Date('2026-01-05T10:00:00.000Z');
    expect(filterOf({ after: { at: at.toISOString(), id: 'x' }, limit: 5 })).toEqual({
      $or: [{ at: { $gt: at } }, { at, _id: { $gt: 'x' } }],
    });
  });

  it('takes the database from the connection string and fails fast without a server', () => {
    expect(dbNameOf('mongodb://h:27017/wih_prod?replicaSet=rs0')).toBe('wih_prod');
    expect(dbNameOf('mongodb://h:27017/?replicaSet=rs0')).toBeUndefined();
    expect(clientOptionsFor('mongodb://h')).toEqual({ serverSelectionTimeoutMS: 5000 });
    expect(clientOptionsFor('mongodb://h/?serverSelectionTimeoutMS=100')).toEqual({});
  });
});
