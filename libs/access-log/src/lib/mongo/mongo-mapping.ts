import type { Filter, MongoClientOptions } from 'mongodb';
import type { AccessEntry, AccessLogQuery } from '../port';

/** An entry as stored: `_id` is the entry id (a duplicate is refused by the server), `at` a BSON date. */
export interface AccessRecord {
  readonly _id: string;
  readonly at: Date;
  readonly userId: string;
  readonly role: string;
  readonly caseId: string;
  readonly action: AccessEntry['action'];
}

export const toRecord = (entry: AccessEntry): AccessRecord => ({
  _id: entry.id,
  at: new Date(entry.at),
  userId: entry.userId,
  role: entry.role,
  caseId: entry.caseId,
  action: entry.action,
});

export const fromRecord = (record: AccessRecord): AccessEntry => ({
  id: record._id,
  at: record.at.toISOString(),
  userId: record.userId,
  role: record.role,
  caseId: record.caseId,
  action: record.action,
});

/** The query's filter; the keyset condition continues after the cursor in (at, _id) order. */
export function filterOf(query: AccessLogQuery): Filter<AccessRecord> {
  const filter: Record<string, unknown> = {};
  const at: Record<string, Date> = {};
  if (query.from !== undefined) at['$gte'] = new Date(query.from);
  if (query.before !== undefined) at['$lt'] = new Date(query.before);
  if (Object.keys(at).length > 0) filter['at'] = at;
  if (query.userId !== undefined) filter['userId'] = query.userId;
  if (query.caseId !== undefined) filter['caseId'] = query.caseId;
  if (query.after !== undefined) {
    const afterAt = new Date(query.after.at);
    filter['$or'] = [{ at: { $gt: afterAt } }, { at: afterAt, _id: { $gt: query.after.id } }];
  }
  return filter as Filter<AccessRecord>;
}

export const SORT = { at: 1, _id: 1 } as const;

/** Indexes for the export's filters, each ending in the sort order. */
export const INDEXES = [
  { at: 1, _id: 1 },
  { caseId: 1, at: 1, _id: 1 },
  { userId: 1, at: 1, _id: 1 },
] as const;

export const dbNameOf = (url: string): string | undefined => {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]) : undefined;
};

/** Without a server the driver waits 30 s before failing; a read that needs an audit entry should fail sooner. */
export const clientOptionsFor = (url: string): MongoClientOptions =>
  /[?&]serverSelectionTimeoutMS=/i.test(url) ? {} : { serverSelectionTimeoutMS: 5000 };
