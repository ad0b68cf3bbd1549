import type { SqliteReadStore } from '@wih/read-store';
import { metaPrefix } from './meta-keys';
import { park, requestParkedActionIfParked, type ParkedEvent } from './parking';
import { openReads, removeDir, tempDir } from './testing/fixtures';

/** An operator's retry or skip is recorded only for a key that has parked events (the API's 404, the CLI's error). */
let dir: string;
let reads: SqliteReadStore;
beforeEach(() => {
  dir = tempDir('wih-parking-');
  reads = openReads(dir);
});
afterEach(async () => {
  await reads.close();
  removeDir(dir);
});

const parked: ParkedEvent = {
  projection: 'cases@1',
  key: 'case-a',
  position: '7',
  eventId: 'event-7',
  type: 'HomeVisitRecorded',
  error: 'Error: failed in a test',
  attempts: 3,
  parkedAt: '2026-01-01T00:00:00.000Z',
};
const requests = () => reads.listMeta(metaPrefix('parked-request', 'cases@1'));

it('records nothing for a key without parked events, and says so', async () => {
  await park(reads, parked);
  expect(await requestParkedActionIfParked(reads, 'cases@1', 'case-b', 'retry')).toBe(false);
  expect(await requestParkedActionIfParked(reads, 'cases@2', 'case-a', 'skip')).toBe(false);
  expect(await requests()).toEqual([]);
});

it('records the request for a key with parked events', async () => {
  await park(reads, parked);
  expect(await requestParkedActionIfParked(reads, 'cases@1', 'case-a', 'skip')).toBe(true);
  expect((await requests()).map((entry) => entry.value)).toEqual([{ key: 'case-a', action: 'skip' }]);
});
