import { SCHEMA_VERSION, UnknownSchemaVersionError } from '@wih/application';
import { openSqliteEventStore } from '@wih/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings } from './settings';
import { openEventStore } from './stores';

/** Every process opens the log through openEventStore: it must be the upcasting read path. */
describe('openEventStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wih-stores-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads through the upcaster chain: an event of a future version fails the read instead of being mis-read', async () => {
    const settings = loadSettings({ DATA_DIR: dir });
    const raw = openSqliteEventStore(dir); // what openEventStore opens for DATA_DIR, without the chain
    await raw.append(
      'case-x',
      [
        {
          id: '00000000-0000-4000-8000-00000000000a',
          type: 'CaseClosed',
          data: { reason: 'moved_away' },
          metadata: {
            commandId: 'c',
            correlationId: 'c',
            userId: 'u',
            role: 'caseworker',
            businessDate: '2025-03-01',
            recordedAt: '2025-03-01T09:00:00.000Z',
            schemaVersion: SCHEMA_VERSION + 1,
          },
        },
      ],
      'no-stream',
    );
    await raw.close();
    const store = openEventStore(settings);
    try {
      await expect(store.readStream('case-x')).rejects.toThrow(UnknownSchemaVersionError);
    } finally {
      await store.close();
    }
  });
});
