import {
  ANY,
  DeadlineExceededError,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
} from '@eventstore/db-client';
import { ConcurrencyError, StoreUnavailableError } from '../errors';
import { testMetadata } from '../../testing/fixtures';
import {
  comparePositions,
  fromResolvedEvent,
  isStreamNotFound,
  toAppendResult,
  toEsdbExpectedRevision,
  toEsdbPosition,
  toEventData,
  toUserEvents,
  translateEsdbError,
} from './esdb-mapping';

const metadata = testMetadata();

const resolved = (
  streamId: string,
  commit: bigint,
  overrides: { type?: string; data?: unknown; metadata?: unknown; revision?: bigint } = {},
): AllStreamResolvedEvent => ({
  event: {
    streamId,
    id: `id-${commit}`,
    isJson: true,
    revision: overrides.revision ?? 0n,
    type: overrides.type ?? 'CaseOpened',
    created: new Date('2025-03-14T09:30:00Z'),
    // Hand-built as the client builds them: data and metadata already JSON-parsed.
    data: (overrides.data ?? { caseId: 'c1' }) as Record<string, unknown>,
    metadata: ('metadata' in overrides ? overrides.metadata : metadata) as Record<string, unknown>,
    position: { commit, prepare: commit },
  },
  commitPosition: commit,
});

describe('esdb mapping', () => {
  it('maps expected revisions', () => {
    expect(toEsdbExpectedRevision('no-stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision(0)).toBe(0n);
    expect(toEsdbExpectedRevision(41)).toBe(41n);
  });

  it('maps a new event to JSON event data with its own id', () => {
    const data = toEventData({ id: '3f0c2d1e-0000-4000-8000-000000000001', type: 'CaseOpened', data: { a: 'ä' }, metadata });
    expect(data).toEqual({
      id: '3f0c2d1e-0000-4000-8000-000000000001',
      contentType: 'application/json',
      type: 'CaseOpened',
      data: { a: 'ä' },
      metadata,
    });
    expect(toEventData({ id: 'x', type: 'T', data: undefined, metadata }).data).toBeNull();
  });

  it('maps positions: port position = commit position, resumed as commit and prepare', () => {
    expect(toEsdbPosition(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
    expect(comparePositions({ commit: 1n, prepare: 5n }, { commit: 2n, prepare: 0n })).toBe(-1);
    expect(comparePositions({ commit: 2n, prepare: 5n }, { commit: 2n, prepare: 3n })).toBe(1);
    expect(comparePositions({ commit: 2n, prepare: 3n }, { commit: 2n, prepare: 3n })).toBe(0);
  });

  it('maps an append result', () => {
    const result = { success: true, nextExpectedRevision: 4n, position: { commit: 9000n, prepare: 9000n } };
    expect(toAppendResult(result, { stream: 'case-1', expected: 3 })).toEqual({ revision: 4, position: 9000n });
    expect(() => toAppendResult({ ...result, position: undefined }, { stream: 'case-1', expected: 3 })).toThrow(/no log position/);
    const failed = { success: false, nextExpectedRevision: -1n, position: undefined };
    expect(() => toAppendResult(failed, { stream: 'case-1', expected: 3 })).toThrow(ConcurrencyError);
  });

  it('maps a resolved event to a recorded event', () => {
    expect(fromResolvedEvent(resolved('case-1', 77n, { revision: 3n, data: { n: 'ü' } }))).toStrictEqual({
      id: 'id-77',
      type: 'CaseOpened',
      data: { n: 'ü' },
      metadata,
      streamName: 'case-1',
      revision: 3,
      position: 77n,
    });
    expect(fromResolvedEvent({ commitPosition: 5n })).toBeUndefined();
  });

  it('parses metadata and data the client left as bytes', () => {
    const bytes = (value: unknown): Uint8Array => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));
    const event = resolved('case-1', 1n, { metadata: bytes({ ...metadata, userId: 'jörg 🧑‍💼' }) });
    const { event: raw } = event;
    const binary: AllStreamResolvedEvent = { event: raw && { ...raw, isJson: false, data: bytes([1, 'ß']) } };
    expect(fromResolvedEvent(event)?.metadata.userId).toBe('jörg 🧑‍💼');
    expect(fromResolvedEvent(binary)?.data).toEqual([1, 'ß']);
  });

  it('rejects events without JSON object metadata or without a position', () => {
    expect(() => fromResolvedEvent(resolved('case-1', 1n, { metadata: undefined }))).toThrow(/metadata/);
    const { event } = resolved('case-1', 1n);
    const noPosition = { event: event && { ...event, position: undefined } } as unknown as AllStreamResolvedEvent;
    expect(() => fromResolvedEvent(noPosition)).toThrow(/no log position/);
  });

  it('keeps only user events after the position and of the category', () => {
    const page = [
      resolved('case-1', 10n),
      resolved('$stats-127.0.0.1:2113', 11n, { type: '$statsCollected' }),
      resolved('$ce-case', 12n, { type: '$>' }),
      resolved('case-1', 13n, { type: '$metadata' }),
      resolved('household-1', 14n),
      resolved('casework-1', 15n),
      resolved('case-2', 16n),
      { commitPosition: 17n },
    ];
    expect(toUserEvents(page, undefined, undefined).map((e) => e.position)).toEqual([10n, 14n, 15n, 16n]);
    expect(toUserEvents(page, undefined, 'case').map((e) => e.position)).toEqual([10n, 16n]);
    expect(toUserEvents(page, 10n, 'case').map((e) => e.position)).toEqual([16n]);
  });
});

describe('esdb error translation', () => {
  it('turns a wrong expected version into ConcurrencyError', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'case-1', expected: 0n, current: 1n });
    const translated = translateEsdbError(error, { stream: 'case-1', expected: 0 });
    expect(translated).toBeInstanceOf(ConcurrencyError);
    expect(translated).toMatchObject({ stream: 'case-1', expected: '0', actual: '1' });
  });

  it('reports a missing stream as no-stream, and works without the append context', () => {
    const error = new WrongExpectedVersionError(undefined, { streamName: 'case-2', expected: 3n, current: NO_STREAM });
    expect(translateEsdbError(error)).toMatchObject({ stream: 'case-2', expected: '3', actual: 'no-stream' });
    const lookAlike = { type: 'wrong-expected-version' };
    expect(translateEsdbError(lookAlike, { stream: 'case-3', expected: 'no-stream' })).toMatchObject({
      stream: 'case-3',
      expected: 'no-stream',
      actual: 'unknown',
    });
  });

  it.each([
    ['UnavailableError', new UnavailableError()],
    ['DeadlineExceededError', new DeadlineExceededError()],
    ['a plain object of type unavailable', { type: 'unavailable' }],
    ['a failed discovery', new Error('Failed to discover after 10 attempts.')],
  ])('turns %s into StoreUnavailableError', (_, error) => {
    const translated = translateEsdbError(error);
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect((translated as StoreUnavailableError).cause).toBe(error);
  });

  it('types a raw gRPC error first (status 14 is UNAVAILABLE)', () => {
    const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'refused' });
    const translated = translateEsdbError(raw);
    expect(translated).toBeInstanceOf(StoreUnavailableError);
    expect((translated as StoreUnavailableError).cause).toBeInstanceOf(UnavailableError);
  });

  it('passes through an error with a numeric code that is not a gRPC error', () => {
    const foreign = Object.assign(new Error('odd'), { code: 999 });
    expect(translateEsdbError(foreign)).toBe(foreign);
  });

  it('recognises a missing stream and passes other errors through', () => {
    const notFound = new StreamNotFoundError(undefined, 'case-9');
    expect(isStreamNotFound(notFound)).toBe(true);
    expect(isStreamNotFound(new Error('boom'))).toBe(false);
    expect(translateEsdbError(notFound)).toBe(notFound);
    const other = new TypeError('bug');
    expect(translateEsdbError(other)).toBe(other);
  });
});

// Records built as the server sends them (ReadResp.ReadEvent) and decoded by the client's own
// converter, so the shapes are the client's, not ours.
const { convertGrpcEvent } = require('@eventstore/db-client/dist/utils/convertGrpcEvent') as {
  convertGrpcEvent: (grpcEvent: unknown) => AllStreamResolvedEvent;
};
const { ReadResp } = require('@eventstore/db-client/generated/streams_pb') as typeof import('@eventstore/db-client/generated/streams_pb');
const { StreamIdentifier, UUID } =
  require('@eventstore/db-client/generated/shared_pb') as typeof import('@eventstore/db-client/generated/shared_pb');

const wire = (
  streamName: string,
  commit: bigint,
  {
    type = 'CaseOpened',
    contentType = 'application/json',
    data = '{"caseId":"c1"}',
    metadata = JSON.stringify(testMetadata()),
  }: { type?: string; contentType?: string; data?: string | Uint8Array; metadata?: string | Uint8Array } = {},
): AllStreamResolvedEvent => {
  const record = new ReadResp.ReadEvent.RecordedEvent();
  record.setId(new UUID().setString(`00000000-0000-4000-8000-${String(commit).padStart(12, '0')}`));
  record.setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8')));
  record.setStreamRevision('0');
  record.setCommitPosition(String(commit));
  record.setPreparePosition(String(commit));
  record.getMetadataMap().set('type', type).set('content-type', contentType).set('created', '638750000000000000');
  record.setData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  record.setCustomMetadata(typeof metadata === 'string' ? Buffer.from(metadata, 'utf8') : metadata);
  const read = new ReadResp.ReadEvent().setEvent(record).setCommitPosition(String(commit));
  return convertGrpcEvent(read);
};

describe('records as client 6.2.1 decodes them', () => {
  it('maps our own events', () => {
    const [event] = toUserEvents([wire('case-1', 10n)], undefined, 'case');
    expect(event).toMatchObject({
      type: 'CaseOpened',
      data: { caseId: 'c1' },
      metadata: { userId: 'user-1', schemaVersion: 1 },
      streamName: 'case-1',
      position: 10n,
    });
  });

  it('skips and reports records of other writers, keeping the order of the rest', () => {
    const reported: string[] = [];
    const page = [
      wire('case-1', 10n),
      wire('case-2', 11n, { metadata: '' }), // empty metadata: the client gives undefined
      wire('case-3', 12n, { metadata: 'not json' }), // the client gives the bytes
      wire('case-4', 13n, { metadata: '{"source":"crm"}' }), // JSON, but not our envelope
      wire('case-5', 14n, { metadata: '[1,2]' }),
      wire('case-6', 15n, { contentType: 'application/octet-stream', data: new Uint8Array([0xff, 0x00]) }),
      wire('case-7', 16n, { type: 'ThirdPartyPinged' }),
      wire('case-8', 17n),
    ];
    const events = toUserEvents(page, undefined, 'case', (foreign) => reported.push(`${foreign.streamName} ${foreign.reason}`));
    // An unknown type with our envelope passes: the upcasting and the projections judge types.
    expect(events.map((e) => e.streamName)).toEqual(['case-1', 'case-7', 'case-8']);
    expect(reported).toEqual([
      "case-2 its metadata is not this application's JSON envelope",
      "case-3 its metadata is not this application's JSON envelope",
      "case-4 its metadata is not this application's JSON envelope",
      "case-5 its metadata is not this application's JSON envelope",
      'case-6 its data is not JSON',
    ]);
  });

  it('reports only foreign records after the position it reads from', () => {
    const reported: bigint[] = [];
    toUserEvents([wire('case-1', 10n, { metadata: '' }), wire('case-1', 20n, { metadata: '' })], 10n, 'case', (f) => {
      if (f.position !== undefined) reported.push(f.position);
    });
    expect(reported).toEqual([20n]);
  });

  it('throws for a foreign record in a stream read directly (our own streams)', () => {
    expect(() => fromResolvedEvent(wire('case-1', 10n, { metadata: '' }))).toThrow(/case-1: its metadata/);
  });
});
