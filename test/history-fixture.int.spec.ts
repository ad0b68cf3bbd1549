import { figuresDigestOf, LiveFacts, PersonalDataKeys, replayFacts, UPCASTERS } from '@wih/application';
import {
  historyOutputs,
  loadHistory,
  parseHistory,
  toHistoryLine,
  writeHistoryDataDir,
  type HistoryKeys,
  type HistoryLine,
  type HistoryOutputs,
} from '@wih/application/testing';
import { FACT_SEGMENTS } from '@wih/evaluation';
import { openSqliteEventStore, type EventStore, type RecordedEvent } from '@wih/event-store';
import type { KeyStore } from '@wih/key-store';
import { loadSettings, openEventStore, openKeyStore } from '@wih/runtime';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Recorded histories must keep reading (docs/schema-evolution.md). Each fixture is loaded into a
 * real embedded store exactly as it was stored (and its recorded key material into a real
 * embedded key store), read back through the production read path (openEventStore: the upcaster
 * chain included; the projections with personal parts opened under the keys), and replayed through
 * command handling's fold, every projection and the evaluation; the results must equal the
 * outputs committed beside it.
 *
 * The histories and their keys never change: their sha256 is pinned here, so a failing test cannot
 * be "fixed" by re-recording the fixture. A new schema version gets a new file and a new entry
 * below; the old ones stay. The expected outputs may be re-derived only when a projection or a
 * metric changes on purpose (`npm run fixture:history -- expected <file>`, the diff reviewed).
 */
interface Fixture {
  readonly file: string;
  readonly sha256: string;
  readonly events: number;
  /** history-v<N>.keys.json: test-only data keys and tombstones (histories with sealed personal data). */
  readonly keys?: { readonly sha256: string };
}

const FIXTURES: readonly Fixture[] = [
  { file: 'history-v1.jsonl', sha256: '51ce00c9bb436cfbc2f16189db5cffdd7bfcb0e0523d00f4bb7c08f26dcb0400', events: 438 },
  {
    file: 'history-v2.jsonl',
    sha256: '62c99d3208a6ec31fcfde860d32fdde17bf58b04281da3faf4670246167d1ba2',
    events: 449,
    keys: { sha256: 'b761be5f3b1837a63db6f2d2ce47193241f9f7e6258b05144dc429b4b3eaa57c' },
  },
  {
    file: 'history-v3.jsonl',
    sha256: '8ce34e6158a0e1b6c34edce9efc55d1d8c09e34837d04709928ef1a9dfb8eaeb',
    events: 487,
    keys: { sha256: 'b761be5f3b1837a63db6f2d2ce47193241f9f7e6258b05144dc429b4b3eaa57c' },
  },
  {
    file: 'history-v4.jsonl',
    sha256: '659520cac36f0eee17e6be38817fdaa6ca8c8f5d031b72480acff2beae66b042',
    events: 497,
    keys: { sha256: 'b761be5f3b1837a63db6f2d2ce47193241f9f7e6258b05144dc429b4b3eaa57c' },
  },
];

const fixturePath = (file: string) => join(__dirname, 'fixtures', file);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const json = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));

async function readAll(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const batch of store.readAll()) events.push(...batch);
  return events;
}

describe.each(FIXTURES)('recorded history $file', ({ file, sha256: pinned, events, keys: keysPin }) => {
  const text = readFileSync(fixturePath(file), 'utf8');
  const lines: HistoryLine[] = parseHistory(text);
  const keysText = keysPin ? readFileSync(fixturePath(file.replace(/\.jsonl$/, '.keys.json')), 'utf8') : undefined;
  const recordedKeys = keysText ? (JSON.parse(keysText) as HistoryKeys) : undefined;
  const expected = JSON.parse(readFileSync(fixturePath(file.replace(/\.jsonl$/, '.expected.json')), 'utf8')) as HistoryOutputs;
  let dir: string;
  let store: EventStore;
  let keyStore: KeyStore;
  let outputs: HistoryOutputs;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wih-history-'));
    await writeHistoryDataDir(dir, lines, recordedKeys);
    const settings = loadSettings({ DATA_DIR: dir });
    store = openEventStore(settings);
    keyStore = openKeyStore(settings);
    outputs = json(await historyOutputs(store, expected.evaluation.request, new PersonalDataKeys(keyStore))) as HistoryOutputs;
  });
  afterAll(async () => {
    await store?.close();
    await keyStore?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the file that was recorded (never re-recorded: a new version gets a new file)', () => {
    expect(sha256(text)).toBe(pinned);
    expect(lines).toHaveLength(events);
    if (keysPin) expect(sha256(keysText as string)).toBe(keysPin.sha256);
  });

  it('reads back every stored event, in log order, at the current schema version', async () => {
    const read = await readAll(store);
    expect(read.map((e) => [e.streamName, e.revision, e.id])).toEqual(lines.map((l) => [l.stream, l.revision, l.id]));
    expect(new Set(read.map((e) => e.metadata.schemaVersion))).toEqual(new Set([UPCASTERS.current]));
    // Events stored at the current version come back exactly as stored.
    const current = lines.filter((l) => l.metadata.schemaVersion === UPCASTERS.current);
    expect(read.filter((e) => current.some((l) => l.id === e.id)).map(toHistoryLine)).toEqual(current);
  });

  it('gives what command handling, every projection and the evaluation gave when it was recorded', () => {
    expect(outputs.writeModels).toEqual(expected.writeModels);
    for (const name of Object.keys(expected.projections))
      expect({ [name]: outputs.projections[name] }).toEqual({ [name]: expected.projections[name] });
    expect(Object.keys(outputs.projections)).toEqual(Object.keys(expected.projections));
    expect(outputs.evaluation).toEqual(expected.evaluation);
  });

  it('shows erased households as erased and every other household by its name', () => {
    const erased = new Set((recordedKeys?.keys ?? []).filter((k) => k.status === 'destroyed').map((k) => k.householdId));
    const cases = Object.values(outputs.projections['cases']) as { householdId: string; household: unknown }[];
    const shown = cases.map((c) => [c.householdId, c.household]);
    expect(shown).toEqual(
      cases.map((c) => [
        c.householdId,
        erased.has(c.householdId)
          ? { erased: true }
          : expect.objectContaining({ name: expect.stringMatching(/^Testhaushalt \d\d \(fiktiv\)$/) }),
      ]),
    );
    if (recordedKeys) expect(cases.filter((c) => erased.has(c.householdId)).length).toBeGreaterThanOrEqual(erased.size);
  });

  it("publishes the year's report as frozen in the log once finalised, else as computed now", () => {
    const { year, asOf } = expected.evaluation.request;
    const finalised = outputs.writeModels.reports[String(year)]?.finalised;
    const { text: sections, finalised: stamp, ...figures } = outputs.evaluation.publishedAnnualReport;
    expect(sections).toEqual(outputs.writeModels.reports[String(year)]?.sections ?? expect.any(Object));
    if (!finalised) {
      expect(stamp).toBeNull();
      expect(figures).toEqual(outputs.evaluation.annualReport);
      return;
    }
    // The frozen model is the one whose digest the finalisation stored, as of its own asOf...
    expect(figures).toEqual(finalised.report);
    expect(stamp).toEqual({ asOf: finalised.asOf, finalisedAt: finalised.finalisedAt, figuresDigest: figuresDigestOf(figures) });
    expect(figures.asOf).toBe(finalised.asOf);
    // ...although the log gained events after that asOf which the figures as of the request's asOf count.
    expect(lines.some((l) => l.metadata.recordedAt > finalised.asOf && l.metadata.recordedAt <= asOf)).toBe(true);
    expect(figures.current).not.toEqual(outputs.evaluation.annualReport.current);
  });

  it("gives the same facts from an evaluation thread's live facts, caught up part by part and as of earlier instants, as from a replay (the statistics and reports are functions of them)", async () => {
    const liveDir = mkdtempSync(join(tmpdir(), 'wih-history-live-'));
    const writer = openSqliteEventStore(liveDir, { durability: 'normal' });
    const reader = openEventStore(loadSettings({ DATA_DIR: liveDir }));
    const live = new LiveFacts(reader);
    try {
      const thirds = [0, 1, 2, 3].map((i) => Math.floor((lines.length * i) / 3));
      let latest = '';
      for (let part = 1; part < thirds.length; part++) {
        await loadHistory(writer, lines.slice(thirds[part - 1], thirds[part]));
        latest = lines.slice(0, thirds[part]).reduce((max, l) => (l.metadata.recordedAt > max ? l.metadata.recordedAt : max), latest);
        const [{ segments, ...facts }, source] = await live.withFacts(latest, false, (f, _asOf, s) => [f, s] as const);
        expect(source).toBe('live');
        // a replay's facts are for one answer: no segments to keep figures for (decision 0047)
        expect(segments).toHaveLength(FACT_SEGMENTS);
        expect(facts).toEqual(await replayFacts(reader, latest));
      }
      // an asOf before the last events: the live facts with the cases written to since read again,
      // equal to a replay at every tenth of the history (decision 0046)
      for (let tenth = 0; tenth < 10; tenth++) {
        const earlier = lines[Math.floor((lines.length * tenth) / 10)].metadata.recordedAt;
        if (earlier >= latest) continue;
        const [facts, source] = await live.withFacts(earlier, false, (f, _asOf, s) => [f, s] as const);
        expect(source).toBe('earlier');
        expect(facts).toEqual(await replayFacts(reader, earlier));
      }
    } finally {
      await reader.close();
      await writer.close();
      rmSync(liveDir, { recursive: true, force: true });
    }
  });
});

describe.each(['history-v2.jsonl', 'history-v3.jsonl', 'history-v4.jsonl'])('recorded history with sealed personal data (%s)', (file) => {
  const text = readFileSync(fixturePath(file), 'utf8');

  it('holds no personal data in clear text: every personal part is sealed', () => {
    for (const word of ['Testhaushalt', 'Fiktivweg', 'Testnotiz', 'Testziel', '0000 0000']) expect(text.includes(word)).toBe(false);
    const parts = parseHistory(text)
      .map((l) => (l.data as { personal?: unknown }).personal)
      .filter((p) => p !== undefined && p !== null);
    expect(parts.length).toBeGreaterThan(44);
    for (const part of parts)
      expect(part).toEqual(Object.keys(part as object).length === 0 ? {} : expect.objectContaining({ alg: 'A256GCM' }));
  });
});
