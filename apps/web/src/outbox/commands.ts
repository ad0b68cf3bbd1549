import type { CommandAnswer } from '../api/schemas';

/** The one API type the outbox needs: of a command's answer, the revision and position it wrote. */
export type OutboxAnswer = Pick<CommandAnswer, 'revision' | 'position'>;

/**
 * The commands a caseworker records in the field, and only these, may wait in the outbox: each
 * adds a fact and none decides about the case (decision 0040). Every other form sends as before.
 */
export type OutboxKind = 'visit' | 'mediation' | 'goal-review' | 'activity';

const ROUTES: [RegExp, OutboxKind][] = [
  [/^\/api\/cases\/([0-9a-f-]{36})\/visits$/i, 'visit'],
  [/^\/api\/cases\/([0-9a-f-]{36})\/mediations$/i, 'mediation'],
  [/^\/api\/cases\/([0-9a-f-]{36})\/goal-reviews$/i, 'goal-review'],
  [/^\/api\/activities$/, 'activity'],
];

/** The kind of a command path and the case it acts on; null when the command never waits in the outbox. */
export function outboxCommandOf(path: string): { kind: OutboxKind; caseId: string | null } | null {
  for (const [pattern, kind] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return { kind, caseId: match[1]?.toLowerCase() ?? null };
  }
  return null;
}

/** What the caseworker wrote, as it will be sent: nothing derived, nothing read from the case. */
export interface OutboxDraft {
  kind: OutboxKind;
  path: string;
  caseId: string | null;
  body: unknown;
  /** The case revision the form was opened at (If-Match); none for an activity. */
  expectedRevision: number | null;
  /** The key the submission got when it was written: every resend carries it, so the API records it once. */
  idempotencyKey: string;
  /** When it was written (ISO instant). */
  writtenAt: string;
}

/** Why the API refused an entry: status, code and the field problems (never any input). */
export interface Refusal {
  status: number;
  code: string | null;
  errors: { field: string; message: string }[];
}

export interface OutboxEntry extends OutboxDraft {
  /** Position in the outbox: entries are sent in this order. */
  seq: number;
  state: 'waiting' | 'refused';
  refusal: Refusal | null;
}
