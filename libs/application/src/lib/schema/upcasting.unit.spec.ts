import type { RecordedEvent } from '@wih/event-store';
import { SCHEMA_VERSION } from '../codec';
import { UPCASTERS } from './upcasters';
import {
  UnknownEventTypeError,
  UnknownSchemaVersionError,
  UpcasterChainError,
  upcasterChain,
  type UpcasterChainDefinition,
} from './upcasting';

/**
 * Given a chain definition and a stored event, when the chain reads it, then this comes out.
 * The chains below are made up for the tests: version 2 renames a field of ReferralReceived,
 * version 3 splits it; VisitRecorded (an old name) becomes HomeVisitRecorded in version 2.
 */
const threeVersions: UpcasterChainDefinition = {
  current: 3,
  steps: {
    2: {
      why: 'rename people → adults; rename VisitRecorded',
      upcasters: {
        ReferralReceived: ({ type, data }) => {
          const { people, ...rest } = data as { people: number };
          return { type, data: { ...rest, adults: people } };
        },
        VisitRecorded: ({ data }) => ({ type: 'HomeVisitRecorded', data }),
      },
    },
    3: {
      why: 'adults becomes household size',
      upcasters: {
        ReferralReceived: ({ type, data }) => {
          const { adults, ...rest } = data as { adults: number };
          return { type, data: { ...rest, householdSize: { adults } } };
        },
        HomeVisitRecorded: ({ type, data }) => ({ type, data: { ...(data as object), concerns: [] } }),
      },
    },
  },
};

const stored = (type: string, data: unknown, schemaVersion: unknown): RecordedEvent => ({
  id: 'e1',
  type,
  data,
  streamName: 'case-c1',
  revision: 4,
  position: 9n,
  metadata: {
    commandId: 'cmd',
    correlationId: 'cor',
    userId: 'anna',
    role: 'caseworker',
    businessDate: '2025-03-01',
    recordedAt: '2025-03-01T09:00:00.000Z',
    schemaVersion: schemaVersion as number,
  },
});

const given = (definition: UpcasterChainDefinition) => ({
  when: (event: RecordedEvent) => ({
    then: (expected: { type: string; data: unknown }) => {
      const read = upcasterChain(definition).upcast(event);
      expect({ type: read.type, data: read.data }).toEqual(expected);
      return read;
    },
    thenFails: (message: RegExp) => {
      const read = () => upcasterChain(definition).upcast(event);
      expect(read).toThrow(UnknownSchemaVersionError);
      expect(read).toThrow(message);
    },
  }),
});

describe('upcaster chain', () => {
  it('reads an event of the current version as it is (the same object)', () => {
    const event = stored('ReferralReceived', { householdSize: { adults: 2 } }, 3);
    const read = given(threeVersions)
      .when(event)
      .then({ type: 'ReferralReceived', data: { householdSize: { adults: 2 } } });
    expect(read).toBe(event);
  });

  it('runs every step from the stored version to the current one, in order', () => {
    const read = given(threeVersions)
      .when(stored('ReferralReceived', { people: 2, children: 1 }, 1))
      .then({ type: 'ReferralReceived', data: { children: 1, householdSize: { adults: 2 } } });
    expect(read.metadata).toEqual(
      expect.objectContaining({ schemaVersion: 3, upcastFrom: 1, commandId: 'cmd', recordedAt: '2025-03-01T09:00:00.000Z' }),
    );
    expect({ streamName: read.streamName, revision: read.revision, position: read.position, id: read.id }).toEqual({
      streamName: 'case-c1',
      revision: 4,
      position: 9n,
      id: 'e1',
    });
  });

  it('starts at the stored version: a version-2 event skips the step to 2', () => {
    given(threeVersions)
      .when(stored('ReferralReceived', { adults: 2 }, 2))
      .then({ type: 'ReferralReceived', data: { householdSize: { adults: 2 } } });
  });

  it('feeds a renamed type to the later steps under its new name', () => {
    given(threeVersions)
      .when(stored('VisitRecorded', { visitedOn: '2025-03-02' }, 1))
      .then({ type: 'HomeVisitRecorded', data: { visitedOn: '2025-03-02', concerns: [] } });
  });

  it('leaves a type that no step changes as it is, stamped with the current version', () => {
    const read = given(threeVersions)
      .when(stored('CaseClosed', { reason: 'moved_away' }, 1))
      .then({ type: 'CaseClosed', data: { reason: 'moved_away' } });
    expect(read.metadata.schemaVersion).toBe(3);
  });

  it('does not change the stored event it was given', () => {
    const event = stored('ReferralReceived', { people: 2 }, 1);
    upcasterChain(threeVersions).upcast(event);
    expect(event.data).toEqual({ people: 2 });
    expect(event.metadata.schemaVersion).toBe(1);
  });

  it('refuses a version newer than the current one, naming the type, the version and where it is stored', () => {
    given(threeVersions)
      .when(stored('HomeVisitRecorded', {}, 4))
      .thenFails(/HomeVisitRecorded at case-c1@4 has schemaVersion 4; this code reads versions 1 to 3/);
  });

  it.each([[0], [-1], [1.5], ['2'], [undefined], [null]])('refuses a stored version that is not one (%p)', (version) => {
    given(threeVersions)
      .when(stored('CaseClosed', {}, version))
      .thenFails(/CaseClosed at case-c1@4 has schemaVersion/);
  });
});

describe('building a chain', () => {
  it('refuses a current version without a step leading to it', () => {
    expect(() => upcasterChain({ current: 3, steps: { 2: threeVersions.steps[2] } })).toThrow(
      new UpcasterChainError('no step to version 3: declare it (even with no upcasters) so that the bump is deliberate'),
    );
  });

  it('refuses steps beyond the current version (a step nobody would run)', () => {
    expect(() => upcasterChain({ current: 1, steps: { 2: threeVersions.steps[2] } })).toThrow(/steps outside 2…1: 2/);
  });

  it('refuses a current version that is not a positive integer', () => {
    expect(() => upcasterChain({ current: 0, steps: {} })).toThrow(UpcasterChainError);
  });

  it('the production chain reads the version writers stamp today', () => {
    expect(UPCASTERS.current).toBe(SCHEMA_VERSION);
    const event = stored('ReferralReceived', { adults: 1 }, SCHEMA_VERSION);
    expect(UPCASTERS.upcast(event)).toBe(event);
    expect(() => UPCASTERS.upcast(stored('ReferralReceived', {}, SCHEMA_VERSION + 1))).toThrow(UnknownSchemaVersionError);
  });

  it("the production chain refuses an event type its stream's category does not have, at any version", () => {
    for (const version of [1, SCHEMA_VERSION]) {
      expect(() => UPCASTERS.upcast(stored('EventOfANewerRelease', {}, version))).toThrow(
        new UnknownEventTypeError('EventOfANewerRelease', 'case-c1', 4),
      );
      expect(() => UPCASTERS.upcast(stored('HouseholdCaseReserved', {}, version))).toThrow(UnknownEventTypeError);
    }
    expect(() => UPCASTERS.upcast(stored('EventOfANewerRelease', {}, 1))).toThrow(
      'EventOfANewerRelease at case-c1@4 is not an event type this code reads (deploy the newer code that wrote it)',
    );
    expect(UPCASTERS.upcast({ ...stored('HouseholdCaseReserved', {}, SCHEMA_VERSION), streamName: 'household-h1' }).type).toBe(
      'HouseholdCaseReserved',
    );
    // Not a domain stream (the smoke test writes its own): not checked.
    expect(UPCASTERS.upcast({ ...stored('SmokeTestRecorded', {}, SCHEMA_VERSION), streamName: 'smoke-r1' }).type).toBe('SmokeTestRecorded');
  });
});
