import type { TimelineItem } from '../api/schemas';
import { labelOf, t, type CodeList } from '../i18n';
import { formatDate, formatDateTime } from '../i18n/format';
import { Empty } from '../components/status';

/** Which code list labels which field of a timeline entry. */
const FIELD_CODES: Record<string, CodeList> = {
  referralSource: 'referralSource',
  targetGroup: 'targetGroup',
  housingSituation: 'housingSituation',
  reason: 'closingReason',
  kind: 'mediationKind',
  institutionKind: 'institutionKind',
  outcome: 'housingOutcome',
  housingAtClose: 'housingAtClose',
};
const REASON_LIST: Record<string, CodeList> = {
  ReferralRejected: 'rejectionReason',
  HelpPeriodExtended: 'extensionReason',
  CaseClosed: 'closingReason',
  HouseholdDetailsChanged: 'detailsChangeReason',
  ProcessingRestricted: 'restrictionReason',
};
const DETAIL_FIELDS: Record<string, string> = { name: t.intake.name, address: t.intake.address, phone: t.intake.phone };

/** One line of facts per entry, in words (the codes' labels), plus the notes when there are any. */
function summary(item: TimelineItem): string[] {
  const d = item.data;
  const parts: string[] = [];
  const code = (field: string, list: CodeList) => (typeof d[field] === 'string' ? labelOf(list, d[field] as string) : null);
  if (item.type === 'ReferralReceived') parts.push(...referralFacts(d));
  if (item.type === 'ReferralApproved')
    parts.push(
      `${t.case.caseworker}: ${String(d.assignedCaseworkerId)}`,
      `${t.case.plannedEndOn}: ${formatDate(d.plannedEndOn as string)}`,
    );
  if (item.type === 'HomeVisitRecorded') parts.push(`${t.forms.visit.householdMet} ${d.householdMet ? t.common.yes : t.common.no}`);
  if (Array.isArray(d.concerns) && d.concerns.length)
    parts.push((d.concerns as string[]).map((c) => labelOf('visitConcern', c)).join(', '));
  if (item.type === 'HelpPeriodExtended') parts.push(`${t.case.plannedEndOn}: ${formatDate(d.plannedEndOn as string)}`);
  if (item.type === 'CaseworkerReassigned') parts.push(`${t.case.caseworker}: ${String(d.caseworkerId)}`);
  if (item.type === 'HelpPlanAgreed' && Array.isArray(d.goals)) {
    const goals = d.goals as { area: string }[];
    parts.push(`${t.plan.goals}: ${goals.map((g) => labelOf('goalArea', g.area)).join(', ')}`);
    parts.push(`${t.plan.participated}: ${d.householdParticipated ? t.common.yes : t.common.no}`);
  }
  if (item.type === 'GoalReviewed')
    parts.push(
      `${t.plan.status}: ${labelOf('goalStatus', d.status as string)}`,
      `${t.plan.householdView}: ${labelOf('householdView', d.householdView as string)}`,
    );
  // Which details changed, never their values (decision 0030).
  if (item.type === 'HouseholdDetailsChanged' && Array.isArray(d.changed))
    parts.push((d.changed as string[]).map((field) => DETAIL_FIELDS[field] ?? field).join(', '));
  for (const [field, list] of Object.entries(FIELD_CODES)) {
    const listFor = field === 'reason' ? REASON_LIST[item.type] : list;
    const label = listFor ? code(field, listFor) : null;
    if (label) parts.push(label);
  }
  return parts;
}

/** What the Fachstelle needs for its decision: consent, comparable aid, why the housing is at risk. */
export function referralFacts(d: Record<string, unknown>): string[] {
  const list = (field: string, codes: CodeList) => (Array.isArray(d[field]) ? (d[field] as string[]).map((c) => labelOf(codes, c)) : []);
  const causes = list('threatCauses', 'threatCause');
  const aid = list('existingAid', 'existingAid');
  return [
    ...(causes.length ? [`${t.intake.threatCauses}: ${causes.join(', ')}`] : []),
    ...(aid.length ? [`${t.intake.existingAid}: ${aid.join(', ')}`] : []),
    ...(typeof d.consentGiven === 'boolean' ? [d.consentGiven ? t.case.consentGiven : t.case.noConsent] : []),
  ];
}

export function CaseTimeline({ items }: { items: TimelineItem[] }) {
  if (items.length === 0) return <Empty text={t.case.timelineEmpty} />;
  // Newest first: what happened last is what a caseworker looks for.
  return (
    <ol className="timeline" reversed>
      {[...items].reverse().map((item) => (
        <li key={item.revision}>
          <p className="timeline-head">
            <strong>{labelOf('eventType', item.type)}</strong>, {formatDate(item.occurredOn)}
            <span className="muted"> ({t.case.recordedAt(formatDateTime(item.recordedAt))})</span>
          </p>
          {summary(item).length > 0 && <p>{summary(item).join(' · ')}</p>}
          {typeof item.data.notes === 'string' && item.data.notes && <p className="notes">{item.data.notes}</p>}
        </li>
      ))}
    </ol>
  );
}
