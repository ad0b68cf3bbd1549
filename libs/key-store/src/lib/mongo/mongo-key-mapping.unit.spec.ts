import { Binary } from 'mongodb';
import {
  activeKeysOf,
  createUpdate,
  dbNameOf,
  generationsOf,
  tombstoneIfMissing,
  wipeKey,
  fromKeyRecord,
  toKeyRecord,
} from './mongo-key-mapping';

const KEY = Buffer.alloc(32, 7);

describe('Mongo key mapping', () => {
  it('stores the key as BSON binary and reads it back as the same bytes', () => {
    const record = toKeyRecord('hh-1', KEY, '2026-01-01T00:00:00.000Z');
    expect(record).toEqual({ householdId: 'hh-1', key: expect.any(Binary), createdAt: '2026-01-01T00:00:00.000Z', destroyedAt: null });
    const back = fromKeyRecord(record);
    expect(back).toEqual({
      keyId: 'hh-1',
      householdId: 'hh-1',
      generation: 1,
      status: 'active',
      key: KEY,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads a record without key material as a tombstone', () => {
    expect(fromKeyRecord({ householdId: 'hh-1', key: null, createdAt: null, destroyedAt: '2026-02-01T00:00:00.000Z' })).toEqual({
      keyId: 'hh-1',
      householdId: 'hh-1',
      generation: 1,
      status: 'destroyed',
      createdAt: null,
      destroyedAt: '2026-02-01T00:00:00.000Z',
    });
    expect(fromKeyRecord({ householdId: 'hh-1', destroyedAt: '2026-02-01T00:00:00.000Z' })).toEqual({
      keyId: 'hh-1',
      householdId: 'hh-1',
      generation: 1,
      status: 'destroyed',
      createdAt: null,
      destroyedAt: '2026-02-01T00:00:00.000Z',
    });
  });

  it('creates only when missing, and destroys keeping the first destruction time', () => {
    const record = toKeyRecord('hh-1', KEY, 'now');
    expect(createUpdate(record)).toEqual({ $setOnInsert: record });
    expect(tombstoneIfMissing('hh-1', 'now')).toEqual({
      $setOnInsert: { householdId: 'hh-1', key: null, createdAt: null, destroyedAt: 'now' },
    });
    expect(activeKeysOf('hh-1')).toEqual({ ...generationsOf('hh-1'), key: { $ne: null } });
    expect(wipeKey('now')).toEqual({ $set: { key: null, destroyedAt: 'now' } });
  });

  it("reads a later generation's record as that household's key, and finds every generation of a household by its id range", () => {
    expect(fromKeyRecord(toKeyRecord('hh-1#2', KEY, 'now'))).toMatchObject({ keyId: 'hh-1#2', householdId: 'hh-1', generation: 2 });
    expect(generationsOf('hh-1')).toEqual({ $or: [{ householdId: 'hh-1' }, { householdId: { $gt: 'hh-1#', $lt: 'hh-1$' } }] });
  });

  it('takes the database from the connection string', () => {
    expect(dbNameOf('mongodb://mongo:27017/wohnintegrationshilfe?replicaSet=rs0')).toBe('wohnintegrationshilfe');
    expect(dbNameOf('mongodb://a:1,b:2/keys')).toBe('keys');
    expect(dbNameOf('mongodb://localhost:27017/?replicaSet=rs0')).toBeUndefined();
  });
});
