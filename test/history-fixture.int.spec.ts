import { UPCASTERS } from '@wih/application';
import { historyOutputs, loadHistory, parseHistory, toHistoryLine, type HistoryLine, type HistoryOutputs } from '@wih/application/testing';
import { openSqliteEventStore, type EventStore, type RecordedEvent } from '@wih/event-store';
import { loadSettings, openEventStore } from '@wih/runtime';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Recorded histories must keep reading (docs/schema-evolution.md). Each fixture is loaded into a
 * real embedded store exactly as it was stored, read back through the production read path
 * (openEventStore: the upcaster chain included), and replayed through command handling's fold,
 * every projection and the evaluation; the results must equal the outputs committed beside it.
 *
 * The histories never change: their sha256 is pinned here, so a failing test cannot be "fixed" by
 * re-recording the fixture. A new schema version gets a new file (history-v2.jsonl) and a new
 * entry below; the old ones stay. The expected outputs may be re-derived only when a projection or
 * a metric changes on purpose (`npm run fixture:history -- expected <file>`, the diff reviewed).
 */
const FIXTURES: readonly { readonly file: string; readonly sha256: string; readonly events: number }[] = [
  { file: 'history-v1.jsonl', sha256: '51ce00c9bb436cfbc2f16189db5cffdd7bfcb0e0523d00f4bb7c08f26dcb0400', events: 438 },
];

const fixturePath = (file: string) => join(__dirname, 'fixtures', file);
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));

async function readAll(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const batch of store.readAll()) events.push(...batch);
  return events;
}

describe.each(FIXTURES)('recorded history $file', ({ file, sha256, events }) => {
  const text = readFileSync(fixturePath(file), 'utf8');
  const lines: HistoryLine[] = parseHistory(text);
  const expected = JSON.parse(readFileSync(fixturePath(file.replace(/\.jsonl$/, '.expected.json')), 'utf8')) as HistoryOutputs;
  let dir: string;
  let store: EventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wih-history-'));
    const loader = openSqliteEventStore(dir, { durability: 'normal' });
    await loadHistory(loader, lines);
    await loader.close();
    store = openEventStore(loadSettings({ DATA_DIR: dir }));
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the file that was recorded (never re-recorded: a new version gets a new file)', () => {
    expect(createHash('sha256').update(text).digest('hex')).toBe(sha256);
    expect(lines).toHaveLength(events);
  });

  it('reads back every stored event, in log order, at the current schema version', async () => {
    const read = await readAll(store);
    expect(read.map((e) => [e.streamName, e.revision, e.id])).toEqual(lines.map((l) => [l.stream, l.revision, l.id]));
    expect(new Set(read.map((e) => e.metadata.schemaVersion))).toEqual(new Set([UPCASTERS.current]));
    // Events stored at the current version come back exactly as stored.
    const current = lines.filter((l) => l.metadata.schemaVersion === UPCASTERS.current);
    expect(read.filter((e) => current.some((l) => l.id === e.id)).map(toHistoryLine)).toEqual(current);
  });

  it('gives what command handling, every projection and the evaluation gave when it was recorded', async () => {
    const outputs = json(await historyOutputs(store, expected.evaluation.request)) as HistoryOutputs;
    expect(outputs.writeModels).toEqual(expected.writeModels);
    for (const name of Object.keys(expected.projections)) expect({ [name]: outputs.projections[name] }).toEqual({ [name]: expected.projections[name] });
    expect(Object.keys(outputs.projections)).toEqual(Object.keys(expected.projections));
    expect(outputs.evaluation).toEqual(expected.evaluation);
  });
});
