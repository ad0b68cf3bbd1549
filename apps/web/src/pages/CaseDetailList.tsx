import type { ReactNode } from 'react';
import type { CaseDetail, Household } from '../api/schemas';
import { labelOf, t } from '../i18n';
import { formatDate } from '../i18n/format';

const Row = ({ term, children }: { term: string; children: ReactNode }) => (
  <div className="fact">
    <dt>{term}</dt>
    <dd>{children}</dd>
  </div>
);

/** The household's personal data, or null when it was erased or is withheld while processing is restricted. */
export const personalData = (household: CaseDetail['household']): Household | null => ('name' in household ? household : null);

/** The title of the case page: the household's name when the reader may see it. */
export function caseTitle(d: CaseDetail): string {
  const household = personalData(d.household);
  if (household) return t.case.title(household.name);
  return 'erased' in d.household ? t.case.erasedTitle : t.case.restrictedTitle;
}

/** The case detail as a description list (name and address only when not erased nor withheld). */
export function CaseDetailList({ detail: d }: { detail: CaseDetail }) {
  const c = t.case;
  const household = personalData(d.household);
  return (
    <section aria-labelledby="facts-title">
      <h2 id="facts-title">{c.facts}</h2>
      <dl className="facts">
        <Row term={c.status}>
          <span className={`badge badge-${d.status}`}>{labelOf('status', d.status)}</span>
        </Row>
        {d.restricted && (
          <Row term={c.restricted}>
            <strong className="badge badge-restricted">{c.restrictedBadge}</strong> {c.restrictedValue}
          </Row>
        )}
        {household && <Row term={c.address}>{household.address}</Row>}
        {household?.phone && <Row term={c.phone}>{household.phone}</Row>}
        <Row term={c.persons}>{c.persons_(d.adults, d.children)}</Row>
        <Row term={c.targetGroup}>{labelOf('targetGroup', d.targetGroup)}</Row>
        <Row term={c.referralSource}>{labelOf('referralSource', d.referralSource)}</Row>
        <Row term={c.housingSituation}>{labelOf('housingSituation', d.housingSituation)}</Row>
        <Row term={c.receivedOn}>{formatDate(d.receivedOn)}</Row>
        {d.approvedOn && <Row term={c.approvedOn}>{formatDate(d.approvedOn)}</Row>}
        {d.rejectedOn && <Row term={c.rejectedOn}>{formatDate(d.rejectedOn)}</Row>}
        <Row term={c.caseworker}>{d.assignedCaseworkerId ?? t.common.none}</Row>
        {d.visitIntervalDays !== null && <Row term={c.visitInterval}>{t.common.days(d.visitIntervalDays)}</Row>}
        {d.status === 'active' && <Row term={c.lastVisitOn}>{formatDate(d.lastVisitOn)}</Row>}
        {d.status === 'active' && (
          <Row term={c.nextVisitDueOn}>
            {formatDate(d.nextVisitDueOn)}
            {d.overdue && <strong className="badge badge-overdue"> {c.overdue}</strong>}
          </Row>
        )}
        {d.plannedEndOn && <Row term={c.plannedEndOn}>{formatDate(d.plannedEndOn)}</Row>}
        <Row term={c.counts}>
          {d.counts.visits} / {d.counts.mediations}
        </Row>
        {d.housingSecured && (
          <Row term={c.housingSecured}>
            {formatDate(d.housingSecured.securedOn)}: {labelOf('housingOutcome', d.housingSecured.outcome)}
          </Row>
        )}
        {d.closure && (
          <Row term={c.closure}>
            {formatDate(d.closure.closedOn)}: {labelOf('closingReason', d.closure.reason)} (
            {labelOf('housingAtClose', d.closure.housingAtClose)})
          </Row>
        )}
        {d.previousCaseId && <Row term={c.previousCase}>{d.previousCaseId}</Row>}
        <Row term={c.householdId}>
          <code>{d.householdId}</code>
        </Row>
        <Row term={c.revision}>{d.revision}</Row>
      </dl>
    </section>
  );
}
