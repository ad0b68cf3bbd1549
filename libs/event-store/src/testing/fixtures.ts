import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventStore, NewEvent, ReadAllOptions, RecordedEvent, SubscribeOptions } from '../lib/port';
import { streamName } from '../lib/streams';

export const testMetadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  commandId: randomUUID(),
  correlationId: randomUUID(),
  userId: 'user-1',
  role: 'caseworker',
  businessDate: '2025-03-14',
  recordedAt: '2025-03-14T09:30:00.000Z',
  schemaVersion: 1,
  ...overrides,
});

export const newEvent = (data: unknown = { n: 1 }, type = 'TestHappened', metadata = testMetadata()): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata,
});

export const newEvents = (count: number, offset = 0): NewEvent[] => Array.from({ length: count }, (_, i) => newEvent({ n: offset + i }));

/** A category no other test (or earlier run against a shared server) has used. */
export const uniqueCategory = (): string => `t${randomUUID().replace(/-/g, '').slice(0, 12)}`;

export const uniqueStream = (category = 'case'): string => streamName(category, randomUUID());

export const readBatches = async (store: EventStore, options: ReadAllOptions): Promise<RecordedEvent[][]> => {
  const batches: RecordedEvent[][] = [];
  for await (const batch of store.readAll(options)) batches.push(batch);
  return batches;
};

export const readAllEvents = async (store: EventStore, options: ReadAllOptions): Promise<RecordedEvent[]> =>
  (await readBatches(store, options)).flat();

export const idsOf = (events: readonly { id: string }[]): string[] => events.map((event) => event.id);

export const expectStrictlyIncreasing = (positions: readonly bigint[]): void => {
  positions.slice(1).forEach((position, i) => {
    if (position <= positions[i]) throw new Error(`position ${position} at ${i + 1} is not after ${positions[i]}`);
  });
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when `promise` settles within `ms` (its rejection propagates). */
export const settlesWithin = async (promise: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/** Subscribes and collects batches; aborts itself once `count` events arrived. */
export const subscribeUntil = (store: EventStore, options: Omit<SubscribeOptions, 'signal'>, count: number) => {
  const controller = new AbortController();
  const batches: RecordedEvent[][] = [];
  let received = 0;
  const done = (async () => {
    for await (const batch of store.subscribe({ ...options, signal: controller.signal })) {
      batches.push(batch);
      received += batch.length;
      if (received >= count) controller.abort();
    }
  })();
  return { batches, controller, done };
};
