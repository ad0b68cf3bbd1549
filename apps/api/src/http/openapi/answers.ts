import type { ReferenceObject, SchemaObject as Schema } from '@nestjs/swagger';
import { REPORT_SECTIONS } from '@wih/domain';
import { AGENDA_KINDS, PROJECTIONS } from '@wih/projections';
import { METRICS } from '@wih/evaluation';
import { ACCESS_ACTIONS } from '@wih/access-log';

type SchemaObject = Schema | ReferenceObject;

// The answers of the read side as OpenAPI schemas (API.md "Read model answers"). They are written
// out here rather than derived from the libraries' TypeScript types (which do not exist at run
// time); the HTTP tests validate every answer against them, so a drifting answer fails a test.

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });
const date = { type: 'string', format: 'date' } as const;
const nullableDate = { ...date, nullable: true } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const integer = (minimum = 0): Schema => ({ type: 'integer', minimum });
const position = { type: 'string', pattern: '^\\d+$', description: 'a global log position, decimal string (can exceed 2^53)' };
const object = (properties: Record<string, SchemaObject>, extra: Partial<Schema> = {}): Schema => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  additionalProperties: false,
  ...extra,
});
/** The projections' names, as their admin routes take them. */
const projectionName: Schema = { type: 'string', enum: PROJECTIONS.map((projection) => projection.name) };
const erased = object({ erased: { type: 'boolean', enum: [true] } }, { description: 'the personal data was erased' });
const restricted = object(
  { restricted: { type: 'boolean', enum: [true] } },
  {
    description:
      "personal data withheld: processing is restricted (Art. 18 DSGVO) and only the Fachstelle sees it (the household, a goal's wording)",
  },
);

const goal = object({
  goalId: uuid,
  area: { type: 'string' },
  actor: { type: 'string' },
  reviewOn: date,
  wording: { oneOf: [{ type: 'string' }, ref('Erased'), ref('Restricted')] },
  status: { type: 'string' },
  householdView: { type: 'string' },
  lastReviewedOn: nullableDate,
});

const caseStatus = { type: 'string', enum: ['referred', 'active', 'rejected', 'closed'] };

const caseDetail = object({
  caseId: uuid,
  householdId: uuid,
  status: caseStatus,
  revision: { ...integer(), description: 'the case stream revision (also the ETag, for If-Match)' },
  receivedOn: date,
  approvedOn: nullableDate,
  rejectedOn: nullableDate,
  closedOn: nullableDate,
  plannedEndOn: nullableDate,
  referralSource: { type: 'string' },
  targetGroup: { type: 'string' },
  housingSituation: { type: 'string' },
  adults: integer(1),
  children: integer(),
  assignedCaseworkerId: { type: 'string', nullable: true },
  visitIntervalDays: { ...integer(1), nullable: true },
  lastVisitOn: nullableDate,
  nextVisitDueOn: nullableDate,
  overdue: { type: 'boolean' },
  housingSecured: { ...object({ securedOn: date, outcome: { type: 'string' } }), nullable: true },
  closure: { ...object({ closedOn: date, reason: { type: 'string' }, housingAtClose: { type: 'string' } }), nullable: true },
  counts: object({ visits: integer(), mediations: integer() }),
  previousCaseId: { ...uuid, nullable: true },
  household: { oneOf: [ref('Household'), ref('Erased'), ref('Restricted')] },
  helpPlan: {
    ...object({ agreedOn: date, householdParticipated: { type: 'boolean' }, goals: { type: 'array', items: goal } }),
    nullable: true,
  },
  nextGoalReviewOn: nullableDate,
  goalReviewDue: { type: 'boolean' },
  restricted: { type: 'boolean', description: "the household's processing is restricted (decision 0030)" },
});

const caseloadItem = object({
  caseId: uuid,
  status: caseStatus,
  householdName: { type: 'string', nullable: true, description: 'null once the household is erased' },
  assignedCaseworkerId: { type: 'string', nullable: true },
  receivedOn: date,
  nextVisitDueOn: nullableDate,
  plannedEndOn: nullableDate,
  overdue: { type: 'boolean' },
  nextGoalReviewOn: nullableDate,
  goalReviewDue: { type: 'boolean' },
  restricted: { type: 'boolean', description: "the household's processing is restricted (decision 0030)" },
});

/** A published count: a number, or hidden by the disclosure control (DOMAIN.md, decision 0022). */
const count: Schema = {
  description: 'a count; `"<5"` when small, `"suppressed"` when hidden to protect another cell',
  oneOf: [integer(), { type: 'string', enum: ['<5', 'suppressed'] }],
};
/**
 * A block of figures: counts, shares in [0, 1] and medians in days (both null when not
 * publishable), maps of counts by code, and nested blocks (repeat-case windows).
 */
const figures: Schema = {
  type: 'object',
  // anyOf: a count is also a number.
  additionalProperties: { anyOf: [ref('Count'), { type: 'number', nullable: true }, ref('Figures')] },
};
const blocks = Object.fromEntries(METRICS.map((metric) => [metric.block, ref('Figures')]));
const activityCell = object({ count: integer(), hours: { type: 'number', minimum: 0 } });
const cells = { type: 'object', additionalProperties: activityCell } as const;
const statistics = object({
  period: object({ from: date, to: date }),
  asOf: instant,
  ...blocks,
  withChildren: object(blocks, { description: 'the same blocks, households with children only' }),
  activities: object({
    total: integer(),
    hours: { type: 'number', minimum: 0 },
    participants: integer(),
    byKind: cells,
    byPartner: cells,
    byDistrict: cells,
  }),
});

const periodicReport = object({ asOf: instant, generatedAt: instant, current: ref('Statistics'), previous: ref('Statistics') });

/** The provider's text, every section with its revision (0: never drafted; If-Match of the next draft). */
const reportText = object(
  Object.fromEntries(REPORT_SECTIONS.map((section) => [section, object({ text: { type: 'string' }, revision: integer() })])) as Record<
    string,
    SchemaObject
  >,
  { description: "the provider's sections, by section" },
);
const reportFinalised: Schema = {
  ...object({ asOf: instant, finalisedAt: instant, figuresDigest: { type: 'string' } }),
  nullable: true,
  description: 'null while the year is open',
};

const annualReport: Schema = {
  ...object({
    year: integer(2000),
    asOf: instant,
    generatedAt: instant,
    current: ref('Statistics'),
    previous: ref('Statistics'),
    text: reportText,
    finalised: reportFinalised,
  }),
  // Figures beside the statistics (period labels, complete-after dates) are added as reports grow.
  additionalProperties: true,
};

const caseExport = object({
  period: object({ from: date, to: date }),
  asOf: instant,
  rows: { type: 'array', items: { type: 'object', required: ['pseudonym'], properties: { pseudonym: { type: 'string' } } } },
  withheld: { ...integer(), description: 'rows left out because they would narrow a business date below a week' },
});

const accessEntry = object({
  id: { type: 'string' },
  at: instant,
  userId: { type: 'string' },
  role: { type: 'string' },
  caseId: uuid,
  action: { type: 'string', enum: [...ACCESS_ACTIONS] },
});

const notes = { type: 'string', nullable: true, description: 'free text as written (personal data)' } as const;
const codes = { type: 'array', items: { type: 'string' } } as const;
const reportHousehold = object({ name: { type: 'string' }, address: { type: 'string' }, phone: { type: 'string', nullable: true } });
const partialHousehold: Schema = { ...reportHousehold, required: [] };
const reportCase = object({
  caseId: uuid,
  status: caseStatus,
  referral: object({
    receivedOn: date,
    referralSource: { type: 'string' },
    targetGroup: { type: 'string' },
    housingSituation: { type: 'string' },
    threatCauses: codes,
    adults: integer(1),
    children: integer(),
    existingAid: codes,
    consentGiven: { type: 'boolean' },
    previousCaseId: { ...uuid, nullable: true },
    notes,
  }),
  decision: {
    oneOf: [
      object({ kind: { type: 'string', enum: ['pending'] } }, { description: 'not decided yet' }),
      object({
        kind: { type: 'string', enum: ['approved'] },
        approvedOn: date,
        assignedCaseworkerId: { type: 'string' },
        visitIntervalDays: integer(1),
        plannedEndOn: date,
      }),
      object({ kind: { type: 'string', enum: ['rejected'] }, rejectedOn: date, reason: { type: 'string' }, notes }),
    ],
  },
  extensions: { type: 'array', items: object({ extendedOn: date, plannedEndOn: date, reason: { type: 'string' } }) },
  reassignments: { type: 'array', items: object({ reassignedOn: date, caseworkerId: { type: 'string' } }) },
  visits: { type: 'array', items: object({ visitedOn: date, householdMet: { type: 'boolean' }, concerns: codes, notes }) },
  mediations: {
    type: 'array',
    items: object({ mediatedOn: date, kind: { type: 'string' }, institutionKind: { type: 'string', nullable: true }, notes }),
  },
  housingSecured: { ...object({ securedOn: date, outcome: { type: 'string' } }), nullable: true },
  helpPlans: {
    type: 'array',
    items: object({
      agreedOn: date,
      householdParticipated: { type: 'boolean' },
      notes,
      goals: {
        type: 'array',
        items: object({
          goalId: uuid,
          area: { type: 'string' },
          actor: { type: 'string' },
          reviewOn: date,
          wording: { type: 'string', nullable: true },
          reviews: {
            type: 'array',
            items: object({ reviewedOn: date, status: { type: 'string' }, householdView: { type: 'string' }, notes }),
          },
        }),
      },
    }),
  },
  closure: {
    ...object({ closedOn: date, reason: { type: 'string' }, housingAtClose: { type: 'string' }, notes }),
    nullable: true,
  },
});
const accessReport = object({
  householdId: uuid,
  issuedAt: instant,
  erased: {
    ...object({ erasedOn: date }),
    nullable: true,
    description: 'set when the personal data was erased: then every other field is empty (null or [])',
  },
  household: {
    ...object({
      current: { ...reportHousehold, nullable: true },
      history: {
        type: 'array',
        description: 'the details as the referrals sent them, then each change with its date and reason',
        items: {
          oneOf: [
            object({ kind: { type: 'string', enum: ['referral'] }, caseId: uuid, on: date, household: reportHousehold }),
            object({
              kind: { type: 'string', enum: ['change'] },
              caseId: uuid,
              on: date,
              reason: { type: 'string' },
              household: partialHousehold,
            }),
          ],
        },
      },
    }),
    nullable: true,
  },
  cases: {
    type: 'array',
    items: { oneOf: [reportCase, object({ caseId: uuid, erasedOn: date }, { description: "a case whose household's data was erased" })] },
  },
  restrictions: {
    type: 'array',
    items: object({ restrictedOn: date, reason: { type: 'string' }, liftedOn: nullableDate }),
  },
  reads: {
    type: 'array',
    description: "the access log's entries for the household's cases, in time order",
    items: object({
      at: instant,
      userId: { type: 'string' },
      role: { type: 'string' },
      caseId: uuid,
      action: { type: 'string', enum: [...ACCESS_ACTIONS] },
    }),
  },
  retention: {
    ...object({
      erasureDueOn: { ...nullableDate, description: 'when the retention job erases the personal data; null while a case is open' },
      openCase: { type: 'boolean' },
    }),
    nullable: true,
  },
});

const rebuild = object({
  status: { type: 'string', enum: ['running', 'done', 'failed', 'cancelled'] },
  generation: integer(),
  startedAt: instant,
  finishedAt: { ...instant, nullable: true },
  done: integer(),
  total: integer(),
  rate: { type: 'number', minimum: 0, description: 'events per second so far' },
  eta: { type: 'number', nullable: true, description: 'seconds left, estimated' },
  error: { type: 'string', nullable: true },
});

export const ANSWER_SCHEMAS: Record<string, Schema> = {
  Erased: erased,
  Restricted: restricted,
  Household: object({ name: { type: 'string' }, address: { type: 'string' }, phone: { type: 'string', nullable: true } }),
  CaseDetail: caseDetail,
  Timeline: object(
    {
      caseId: uuid,
      items: {
        type: 'array',
        items: object({
          revision: integer(),
          type: { type: 'string', description: 'the event type (DOMAIN.md)' },
          occurredOn: date,
          recordedAt: instant,
          data: { type: 'object', description: "the event's facts with its personal fields flattened in" },
        }),
      },
      restricted: { type: 'boolean', enum: [true], description: 'present when processing is restricted: the entries hold facts only' },
    },
    { required: ['caseId', 'items'] },
  ),
  CaseloadItem: caseloadItem,
  CaseloadPage: object({
    items: { type: 'array', items: ref('CaseloadItem') },
    nextCursor: { type: 'string', nullable: true, description: 'pass as `cursor` for the next page; null on the last' },
  }),
  Agenda: object({
    today: date,
    items: {
      type: 'array',
      items: object({
        kind: { type: 'string', enum: [...AGENDA_KINDS] },
        caseId: uuid,
        householdName: { type: 'string', nullable: true, description: 'null: erased, or withheld while restricted' },
        restricted: { type: 'boolean', description: "the household's processing is restricted (decision 0030)" },
        assignedCaseworkerId: { type: 'string', nullable: true },
        dueOn: date,
        days: integer(),
      }),
    },
    more: { type: 'object', additionalProperties: integer(), description: 'per kind: how many items beyond the limit were left out' },
  }),
  ActivityList: object({
    items: {
      type: 'array',
      items: object({
        activityId: uuid,
        on: date,
        kind: { type: 'string' },
        partnerKinds: { type: 'array', items: { type: 'string' } },
        district: { type: 'string' },
        hours: { type: 'number' },
        participants: integer(),
        recordedBy: { type: 'string' },
        recordedAt: instant,
      }),
    },
    truncated: { type: 'boolean', description: 'more activities than one answer lists: ask for a narrower period' },
  }),
  Count: count,
  Figures: figures,
  Statistics: statistics,
  PeriodicReport: periodicReport,
  AnnualReport: annualReport,
  AnnualReportText: object({ year: integer(2000), text: reportText, finalised: reportFinalised }),
  CaseExport: caseExport,
  AccessLog: object({ items: { type: 'array', items: accessEntry } }),
  AccessReport: accessReport,
  ProjectionStatus: object({
    name: projectionName,
    status: { type: 'string', enum: ['running', 'catching-up', 'standby', 'stopped', 'failed'] },
    generation: { ...integer(), nullable: true },
    checkpoint: { ...position, nullable: true },
    head: position,
    lag: { ...position, nullable: true, description: 'events between the checkpoint and the head, decimal string' },
    parked: integer(),
    lastError: { type: 'string', nullable: true, description: 'error class and message; never personal data' },
  }),
  Rebuild: rebuild,
  ParkedEvent: object({
    projection: { type: 'string', description: "the read model's collection (the projection's name and its generation)" },
    key: { type: 'string' },
    position,
    eventId: { type: 'string' },
    type: { type: 'string' },
    error: { type: 'string' },
    attempts: integer(),
    parkedAt: instant,
  }),
  Accepted: object({ accepted: { type: 'boolean', enum: [true] } }),
  UiConfig: object({
    auth: { type: 'string', enum: ['dev', 'oidc', 'token'] },
    issuer: { type: 'string', nullable: true },
    clientId: { type: 'string', nullable: true },
    rolesClaim: { type: 'string' },
  }),
  Health: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: ['ok', 'error'] },
      info: { type: 'object' },
      error: { type: 'object' },
      details: { type: 'object' },
    },
  },
};

export const answerRef = (name: keyof typeof ANSWER_SCHEMAS & string) => ref(name);
