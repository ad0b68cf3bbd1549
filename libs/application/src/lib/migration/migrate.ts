import type { AccessEntry, AccessLog, AccessLogCopy } from '@wih/access-log';
import {
  ConcurrencyError,
  type EventMetadata,
  type EventStore,
  type HeadEventReader,
  type NewEvent,
  type RecordedEvent,
} from '@wih/event-store';
import type { KeyImport, KeyStore, StoredKeyRecord, WrappedKeyCopy } from '@wih/key-store';
import { PROJECTIONS } from '@wih/projections';
import type { ReadStore } from '@wih/read-store';
import { createHash } from 'node:crypto';
import { PLAINTEXT_SCHEMA_VERSION, SCHEMA_VERSION } from '../codec';
import { additionalData, isSealed, open, seal } from '../personal-data/cipher';
import { readActive } from '../projections/generations';
import { STORED_EVENT_TYPES } from '../schema/upcasters';

/**
 * The store migration (decision 0035): the event log stream by stream in global order, the data
 * keys still wrapped and the access log, from one set of stores to another, resumable and verified.
 * The read models are not copied: the projector builds them from the target log on its first start.
 */
export interface MigrationSource {
  readonly events: EventStore;
  readonly keys: KeyStore & WrappedKeyCopy;
  readonly accessLog: AccessLog & AccessLogCopy;
}

export interface MigrationTarget extends MigrationSource {
  readonly events: EventStore & HeadEventReader;
  /** The read store the target installation will use: it must not hold read models of another log. */
  readonly reads?: ReadStore;
}

export interface MigrationProgress {
  /** A phase begins: its total and what was done before (a resumed run). */
  readonly start: (phase: 'events' | 'access log' | 'verify', total: number, done: number) => void;
  readonly update: (done: number) => void;
  readonly stop: () => void;
}

export interface MigrationOptions {
  readonly now?: () => Date;
  readonly batchSize?: number;
  readonly progress?: MigrationProgress;
}

/** One stream's facts on one side: how many events, and the SHA-256 over their canonical form in revision order. */
export interface StreamDigest {
  readonly events: number;
  readonly sha256: string;
}

export interface SideFacts {
  readonly streams: number;
  readonly events: number;
  readonly eventsByCategory: Readonly<Record<string, number>>;
  readonly digests: ReadonlyMap<string, StreamDigest>;
  /** SHA-256 over every stream's name and digest in name order: one value to compare by eye. */
  readonly logSha256: string;
  readonly keys: { readonly records: number; readonly sha256: string };
  readonly accessLog: { readonly entries: number; readonly sha256: string };
}

export interface MigrationReport {
  /** The source event the copy resumed after (null: from the beginning). */
  readonly resumedAfter: { readonly stream: string; readonly revision: number } | null;
  readonly copied: {
    readonly events: number;
    /** Schema-1 personal parts sealed on the way under the household's key. */
    readonly sealed: number;
    /** Schema-1 personal parts of erased households (key destroyed): not copied, as every reader masks them. */
    readonly dropped: number;
    readonly keys: KeyImport;
    /** Keys created on the target for households whose only personal data was schema-1 plaintext. */
    readonly keysCreated: number;
    readonly accessEntries: number;
  };
  readonly source: SideFacts;
  readonly target: SideFacts;
  /** Empty when both sides agree; else what differs (stream names, counts, digests: no personal data). */
  readonly differences: readonly string[];
}

/** Refused before or during the copy; what is on the target stays (a rerun continues once the cause is fixed). */
export class MigrationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationRefusedError';
  }
}

/** Marks an event whose plaintext personal part the migration sealed; its digest is taken over the opened part. */
export const SEALED_FROM = 'sealedFrom';

type Data = Record<string, unknown>;

/** A sealed event's metadata: the current schema, and which one its personal part was sealed from (everything else kept). */
const sealedMetadata = (metadata: EventMetadata): EventMetadata =>
  ({ ...metadata, schemaVersion: SCHEMA_VERSION, [SEALED_FROM]: PLAINTEXT_SCHEMA_VERSION }) as EventMetadata;

const hasPlaintextPersonal = (event: RecordedEvent): boolean => {
  if (event.metadata.schemaVersion !== PLAINTEXT_SCHEMA_VERSION) return false;
  const personal = (event.data as Data | null)?.['personal'];
  return personal !== null && typeof personal === 'object' && !isSealed(personal) && Object.keys(personal).length > 0;
};

/** JSON with object keys in sorted order: two stores may hand back the same document with its keys in another order. */
const canonical = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Data)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
};

const eventForm = (event: { id: string; type: string; data: unknown; metadata: unknown; revision: number }): string =>
  canonical([event.id, event.type, event.data, event.metadata, event.revision]);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The household whose key seals a case stream's schema-1 personal parts: the one its referral names (generation 1's key id). */
class Households {
  private readonly byStream = new Map<string, string>();
  /** One read of a stream's beginning at a time, however many of its events ask. */
  private readonly reading = new Map<string, Promise<void>>();

  constructor(private readonly source: EventStore) {}

  see(event: RecordedEvent): void {
    const householdId = (event.data as Data | null)?.['householdId'];
    if (event.type === 'ReferralReceived' && typeof householdId === 'string') this.byStream.set(event.streamName, householdId);
  }

  async of(event: RecordedEvent): Promise<string> {
    if (!this.byStream.has(event.streamName)) {
      let read = this.reading.get(event.streamName);
      if (!read) {
        read = this.source.readStream(event.streamName).then((events) => events.forEach((earlier) => this.see(earlier)));
        this.reading.set(event.streamName, read);
      }
      await read;
    }
    const householdId = this.byStream.get(event.streamName);
    if (!householdId)
      throw new MigrationRefusedError(
        `${event.streamName}@${event.revision} (${event.type}) holds schema-1 personal data, but no referral of its stream names the household whose key would seal it`,
      );
    return householdId;
  }
}

type SealingKey = { readonly status: 'active'; readonly key: Buffer } | { readonly status: 'destroyed' };

/**
 * Seals schema-1 plaintext under the household's first key (the key id every reader looks up for
 * schema-1 data): active → sealed; destroyed (erased) → the part is dropped, as readers mask it;
 * none (the household predates encryption) → created on the target, then sealed.
 */
class Sealer {
  private readonly keys = new Map<string, SealingKey>();
  sealed = 0;
  dropped = 0;
  created = 0;

  constructor(
    private readonly households: Households,
    private readonly target: KeyStore,
    private readonly now: () => Date,
  ) {}

  async rewrite(event: RecordedEvent): Promise<NewEvent> {
    const { id, type, data, metadata } = event;
    if (!hasPlaintextPersonal(event)) return { id, type, data, metadata };
    const householdId = await this.households.of(event);
    const key = await this.keyOf(householdId);
    const personal = (data as Data)['personal'];
    const sealedPart = key.status === 'active' ? seal(personal, householdId, key.key, additionalData(type, id)) : null;
    if (sealedPart) this.sealed += 1;
    else this.dropped += 1;
    return {
      id,
      type,
      data: { ...(data as Data), personal: sealedPart },
      metadata: sealedMetadata(metadata),
    };
  }

  private async keyOf(householdId: string): Promise<SealingKey> {
    const cached = this.keys.get(householdId);
    if (cached) return cached;
    const found = await this.target.get(householdId);
    let key: SealingKey;
    if (found) key = found.status === 'active' ? { status: 'active', key: found.key } : { status: 'destroyed' };
    else {
      key = { status: 'active', key: (await this.target.getOrCreate(householdId, this.now().toISOString())).key };
      this.created += 1;
    }
    this.keys.set(householdId, key);
    return key;
  }
}

const expectedBefore = (revision: number) => (revision === 0 ? ('no-stream' as const) : revision - 1);

/** Consecutive events of one stream in a batch: one append each, at the revision they had. */
const runsOf = (batch: readonly RecordedEvent[]): RecordedEvent[][] => {
  const runs: RecordedEvent[][] = [];
  for (const event of batch) {
    const last = runs[runs.length - 1];
    if (last && last[0].streamName === event.streamName) last.push(event);
    else runs.push([event]);
  }
  return runs;
};

async function copyEvents(
  source: MigrationSource,
  target: MigrationTarget,
  options: MigrationOptions,
): Promise<{ resumedAfter: MigrationReport['resumedAfter']; events: number; sealer: Sealer }> {
  const now = options.now ?? (() => new Date());
  const households = new Households(source.events);
  const sealer = new Sealer(households, target.keys, now);
  const last = await target.events.lastEvent();
  let after: bigint | undefined;
  if (last) {
    const [same] = await source.events.readStream(last.streamName, { fromRevision: last.revision });
    if (!same || same.id !== last.id || same.revision !== last.revision)
      throw new MigrationRefusedError(
        `the target log ends with event ${last.id} (${last.streamName}@${last.revision}), which the source does not hold there: it is not a copy of this log; migrate into an empty target`,
      );
    after = same.position;
  } else if (target.reads) {
    for (const projection of PROJECTIONS)
      if (await readActive(target.reads, projection.name))
        throw new MigrationRefusedError(
          `the target read store holds the read model ${projection.name} while the target log is empty: it belongs to another log; give the target an empty read store`,
        );
  }
  const categories = Object.keys(STORED_EVENT_TYPES);
  const count = async (store: EventStore) => (await Promise.all(categories.map((c) => store.countEvents(c)))).reduce((a, b) => a + b, 0);
  const [total, before] = await Promise.all([count(source.events), count(target.events)]);
  options.progress?.start('events', total, before);
  let copied = 0;
  try {
    for await (const batch of source.events.readAll({ after, batchSize: options.batchSize ?? 500 })) {
      for (const run of runsOf(batch)) {
        run.forEach((event) => households.see(event));
        copied += await appendRun(target.events, run, await Promise.all(run.map((event) => sealer.rewrite(event))));
      }
      options.progress?.update(before + copied);
    }
  } finally {
    options.progress?.stop();
  }
  return { resumedAfter: last ? { stream: last.streamName, revision: last.revision } : null, events: copied, sealer };
}

/**
 * Appends a run at the revision it had in the source. Refused because the target already holds
 * (part of) it with the same ids: those are skipped, never written twice; other events there refuse.
 */
async function appendRun(target: EventStore, run: readonly RecordedEvent[], rewritten: readonly NewEvent[]): Promise<number> {
  const stream = run[0].streamName;
  try {
    await target.append(stream, rewritten, expectedBefore(run[0].revision));
    return run.length;
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
  }
  const there = await target.readStream(stream, { fromRevision: run[0].revision });
  const held = there.slice(0, run.length);
  if (there.length === 0 || held.some((event, i) => event.id !== run[i].id))
    throw new MigrationRefusedError(
      `${stream} on the target does not continue as in the source at revision ${run[0].revision}: the target holds other events`,
    );
  if (held.length === run.length) return 0;
  await target.append(stream, rewritten.slice(held.length), run[0].revision + held.length - 1);
  return run.length - held.length;
}

async function copyAccessLog(source: MigrationSource, target: MigrationTarget, options: MigrationOptions): Promise<number> {
  const page = options.batchSize ?? 1000;
  let cursor = await target.accessLog.lastEntry();
  const [total, before] = await Promise.all([source.accessLog.countEntries(), target.accessLog.countEntries()]);
  options.progress?.start('access log', total, before);
  let copied = 0;
  try {
    for (;;) {
      const entries = await source.accessLog.find({ after: cursor ? { at: cursor.at, id: cursor.id } : undefined, limit: page });
      if (entries.length === 0) break;
      copied += await target.accessLog.importEntries(entries);
      cursor = entries[entries.length - 1];
      options.progress?.update(before + copied);
    }
  } finally {
    options.progress?.stop();
  }
  return copied;
}

/** How one side's events look for the digest: the stored form, except the personal parts the migration seals. */
type DigestForm = (event: RecordedEvent) => Promise<unknown>;

/**
 * The source's schema-1 plaintext as the migration writes it, personal part in the clear (null when
 * the household's key is destroyed); the target's sealed copies opened under their keys. Every other
 * event is compared as stored, ciphertext included.
 */
function sourceForm(keys: KeyStore, households: Households): DigestForm {
  const states = new Map<string, boolean>();
  return async (event) => {
    households.see(event);
    if (!hasPlaintextPersonal(event)) return event.data;
    const householdId = await households.of(event);
    if (!states.has(householdId)) states.set(householdId, (await keys.get(householdId))?.status === 'destroyed');
    const data = event.data as Data;
    return { ...data, personal: states.get(householdId) ? null : data['personal'] };
  };
}

function targetForm(keys: KeyStore): DigestForm {
  return async (event) => {
    const data = event.data as Data;
    if ((event.metadata as unknown as Data)[SEALED_FROM] !== PLAINTEXT_SCHEMA_VERSION) return data;
    const personal = data['personal'];
    if (!isSealed(personal)) return { ...data, personal: personal ?? null };
    const key = await keys.get(personal.kid);
    const opened = key?.status === 'active' ? open(personal, key.key, additionalData(event.type, event.id)) : null;
    // A part that does not open differs from every plaintext: the stream's digest then differs.
    return { ...data, personal: opened ?? { unopenable: true } };
  };
}

const migratedMetadata = (event: RecordedEvent): unknown => (hasPlaintextPersonal(event) ? sealedMetadata(event.metadata) : event.metadata);

async function logFacts(
  store: EventStore,
  form: DigestForm,
  metadataOf: (event: RecordedEvent) => unknown,
  progress?: MigrationProgress,
  offset = 0,
): Promise<Pick<SideFacts, 'streams' | 'events' | 'eventsByCategory' | 'digests' | 'logSha256'>> {
  const hashes = new Map<string, { hash: ReturnType<typeof createHash>; events: number }>();
  const byCategory: Record<string, number> = {};
  let events = 0;
  for await (const batch of store.readAll({ batchSize: 500 })) {
    for (const event of batch) {
      let entry = hashes.get(event.streamName);
      if (!entry) hashes.set(event.streamName, (entry = { hash: createHash('sha256'), events: 0 }));
      const text = eventForm({ ...event, data: await form(event), metadata: metadataOf(event) });
      entry.hash.update(`${text.length}:${text}`);
      entry.events += 1;
      const category = event.streamName.split('-')[0];
      byCategory[category] = (byCategory[category] ?? 0) + 1;
      events += 1;
    }
    progress?.update(offset + events);
  }
  const digests = new Map([...hashes].map(([stream, { hash, events: n }]) => [stream, { events: n, sha256: hash.digest('hex') }]));
  const names = [...digests.keys()].sort();
  const logSha256 = sha256(names.map((name) => `${name} ${digests.get(name)?.events} ${digests.get(name)?.sha256}\n`).join(''));
  return { streams: digests.size, events, eventsByCategory: byCategory, digests, logSha256 };
}

const keyForm = (record: StoredKeyRecord): string =>
  canonical([record.keyId, record.wrapped?.toString('base64') ?? null, record.createdAt, record.destroyedAt]);

async function accessFacts(log: AccessLog): Promise<SideFacts['accessLog']> {
  const hash = createHash('sha256');
  let entries = 0;
  let cursor: AccessEntry | undefined;
  for (;;) {
    const page = await log.find({ after: cursor && { at: cursor.at, id: cursor.id }, limit: 1000 });
    if (page.length === 0) break;
    for (const entry of page) hash.update(`${canonical([entry.id, entry.at, entry.userId, entry.role, entry.caseId, entry.action])}\n`);
    entries += page.length;
    cursor = page[page.length - 1];
  }
  return { entries, sha256: hash.digest('hex') };
}

/** Compares both sides: every stream's count and digest, the keys and the access log. */
export async function verifyMigration(
  source: MigrationSource,
  target: MigrationTarget,
  progress?: MigrationProgress,
): Promise<Pick<MigrationReport, 'source' | 'target' | 'differences'> & { keysCreated: number }> {
  const categories = Object.keys(STORED_EVENT_TYPES);
  const total = (await Promise.all(categories.map((c) => source.events.countEvents(c)))).reduce((a, b) => a + b, 0);
  progress?.start('verify', total * 2, 0);
  let sourceLog;
  let targetLog;
  try {
    sourceLog = await logFacts(source.events, sourceForm(source.keys, new Households(source.events)), migratedMetadata, progress);
    targetLog = await logFacts(target.events, targetForm(target.keys), (event) => event.metadata, progress, sourceLog.events);
  } finally {
    progress?.stop();
  }
  const differences: string[] = [];
  for (const name of new Set([...sourceLog.digests.keys(), ...targetLog.digests.keys()])) {
    const [s, t] = [sourceLog.digests.get(name), targetLog.digests.get(name)];
    if (s?.events !== t?.events || s?.sha256 !== t?.sha256)
      differences.push(
        `${name}: source ${s ? `${s.events} events sha256 ${s.sha256}` : 'no such stream'}, target ${t ? `${t.events} events sha256 ${t.sha256}` : 'no such stream'}`,
      );
  }

  const [sourceKeys, targetKeys] = await Promise.all([source.keys.exportWrapped(), target.keys.exportWrapped()]);
  const targetById = new Map(targetKeys.map((record) => [record.keyId, record]));
  for (const record of sourceKeys) {
    const there = targetById.get(record.keyId);
    if (!there || keyForm(there) !== keyForm(record))
      differences.push(`key ${record.keyId}: ${there ? 'differs on the target' : 'missing on the target'}`);
  }
  const sourceIds = new Set(sourceKeys.map((record) => record.keyId));
  // Keys the source lacks: only first keys created here to seal a household's schema-1 data.
  const extra = targetKeys.filter((record) => !sourceIds.has(record.keyId));
  for (const record of extra)
    if (record.wrapped === null || record.keyId.includes('#'))
      differences.push(`key ${record.keyId}: on the target only, and not a first key created for sealing`);
  const keysSha = (records: readonly StoredKeyRecord[]) => sha256(records.map((record) => `${keyForm(record)}\n`).join(''));
  const sharedTarget = targetKeys.filter((record) => sourceIds.has(record.keyId));

  const [sourceAccess, targetAccess] = await Promise.all([accessFacts(source.accessLog), accessFacts(target.accessLog)]);
  if (sourceAccess.entries !== targetAccess.entries || sourceAccess.sha256 !== targetAccess.sha256)
    differences.push(
      `access log: source ${sourceAccess.entries} entries sha256 ${sourceAccess.sha256}, target ${targetAccess.entries} entries sha256 ${targetAccess.sha256}`,
    );
  return {
    source: { ...sourceLog, keys: { records: sourceKeys.length, sha256: keysSha(sourceKeys) }, accessLog: sourceAccess },
    target: { ...targetLog, keys: { records: sharedTarget.length, sha256: keysSha(sharedTarget) }, accessLog: targetAccess },
    differences,
    keysCreated: extra.length,
  };
}

/**
 * Keys first (the events' sealing needs them on the target), then the log, then the access log,
 * then the verification. Run with the source's writers stopped: what is appended meanwhile shows
 * up as a difference, and a rerun copies it.
 */
export async function migrateStores(
  source: MigrationSource,
  target: MigrationTarget,
  options: MigrationOptions = {},
): Promise<MigrationReport> {
  const keys = await target.keys.importWrapped(await source.keys.exportWrapped());
  const { resumedAfter, events, sealer } = await copyEvents(source, target, options);
  const accessEntries = await copyAccessLog(source, target, options);
  const verified = await verifyMigration(source, target, options.progress);
  return {
    resumedAfter,
    copied: { events, sealed: sealer.sealed, dropped: sealer.dropped, keys, keysCreated: verified.keysCreated, accessEntries },
    source: verified.source,
    target: verified.target,
    differences: verified.differences,
  };
}
