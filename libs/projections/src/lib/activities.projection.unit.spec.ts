import { ACTIVITY_CATEGORY, type ActivityEvent } from '@wih/domain';
import { activitiesProjection, toActivityItem, type ActivityDoc } from './activities.projection';
import type { ProjectedEvent } from './projection';

const event = (activityId: string, revision = 0): ProjectedEvent<ActivityEvent> => ({
  type: 'ActivityRecorded',
  data: {
    activityId,
    on: '2025-03-04',
    kind: 'case_conference',
    partnerKinds: ['asd', 'jobcenter'],
    district: 'chorweiler',
    hours: 1.75,
    participants: 6,
    recordedBy: 'user-clara',
  },
  streamId: activityId,
  revision,
  position: '17',
  recordedAt: '2025-03-04T15:00:00.000Z',
  businessDate: '2025-03-04',
});

const fold = (events: readonly ProjectedEvent<ActivityEvent>[], start: ActivityDoc | null = null) =>
  events.reduce<ActivityDoc | null>((doc, e) => activitiesProjection.evolve(doc, e), start);

describe('activitiesProjection', () => {
  it('reads the activity category, one document per stream', () => {
    expect(activitiesProjection.category).toBe(ACTIVITY_CATEGORY);
    expect(activitiesProjection.documents).toBe('per-stream');
    expect(activitiesProjection.keyOf(event('a-1'))).toBe('a-1');
  });

  it('keeps the activity, its recorder and date as index values', () => {
    const doc = fold([event('a-1')]);
    expect(doc && toActivityItem(doc)).toEqual({
      activityId: 'a-1',
      on: '2025-03-04',
      kind: 'case_conference',
      partnerKinds: ['asd', 'jobcenter'],
      district: 'chorweiler',
      hours: 1.75,
      participants: 6,
      recordedBy: 'user-clara',
      recordedAt: '2025-03-04T15:00:00.000Z',
    });
    expect(doc && activitiesProjection.indexOf(doc)).toEqual({ recordedBy: 'user-clara', on: '2025-03-04' });
    expect(Object.keys(doc ? activitiesProjection.indexOf(doc) : {}).sort()).toEqual([...activitiesProjection.indexes].sort());
  });

  it('replays harmlessly: the event applied twice, or folded again onto the result, equals once', () => {
    const once = fold([event('a-1')]);
    expect(fold([event('a-1'), event('a-1')])).toStrictEqual(once);
    expect(fold([event('a-1')], once)).toStrictEqual(once);
    expect(JSON.parse(JSON.stringify(once))).toStrictEqual(once);
  });
});
