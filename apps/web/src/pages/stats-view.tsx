import type { Breakdown, Count, StatisticsBlocks } from '../api/types';
import { labelOf, t, type CodeList } from '../i18n';

const s = () => t.statistics;

/** A published count as shown: numbers as numbers, "<5" and "unterdrückt" with an explanation. */
export function CountValue({ value }: { value: Count }) {
  if (value === '<5') return <abbr title={s().lessThanFiveTitle}>{s().lessThanFive}</abbr>;
  if (value === 'suppressed') return <abbr title={s().suppressedTitle}>{s().suppressed}</abbr>;
  return <>{value}</>;
}

export function ShareValue({ value }: { value: number | null }) {
  return value === null ? <abbr title={s().notPublishedTitle}>{s().notPublished}</abbr> : <>{s().percent(value)}</>;
}

export function DaysValue({ value }: { value: number | null }) {
  return value === null ? <abbr title={s().notPublishedTitle}>{s().notPublished}</abbr> : <>{t.common.days(value)}</>;
}

/**
 * A breakdown as a table with bars (the chart). Suppressed cells get no bar but their marker,
 * so nothing can be read off the chart that the table does not publish.
 */
export function BreakdownChart({ id, title, data, list }: { id: string; title: string; data: Breakdown; list: CodeList }) {
  const entries = Object.entries(data);
  const max = Math.max(1, ...entries.map(([, v]) => (typeof v === 'number' ? v : 0)));
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <table>
        <thead>
          <tr>
            <th scope="col">{s().category}</th>
            <th scope="col">{s().value}</th>
            <th scope="col" aria-hidden="true" className="bar-col" />
          </tr>
        </thead>
        <tbody>
          {entries.map(([code, value]) => (
            <tr key={code}>
              <th scope="row">{labelOf(list, code)}</th>
              <td className="num">
                <CountValue value={value} />
              </td>
              <td className="bar-col" aria-hidden="true">
                {typeof value === 'number' ? (
                  value > 0 && <span className="bar" style={{ width: `${(value / max) * 100}%` }} />
                ) : (
                  <span className="bar-hidden">{value === '<5' ? s().lessThanFive : s().suppressed}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

const Figure = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <tr>
    <th scope="row">{label}</th>
    <td className="num">{children}</td>
  </tr>
);

/** All blocks of the statistics answer (API.md), labelled as in the annual report. */
export function StatisticsView({ id, data }: { id: string; data: StatisticsBlocks }) {
  const m = t.reportLabels.metrics;
  const b = t.reportLabels.blocks;
  return (
    <div className="stats-blocks">
      <section aria-labelledby={`${id}-referrals`}>
        <h3 id={`${id}-referrals`}>{b.referrals}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.referrals.total}>
              <CountValue value={data.referrals.total} />
            </Figure>
            <Figure label={m.referrals.withChildren}>
              <CountValue value={data.referrals.withChildren} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart id={`${id}-by-source`} title={m.referrals.bySource} data={data.referrals.bySource} list="referralSource" />
        <BreakdownChart id={`${id}-by-group`} title={m.referrals.byTargetGroup} data={data.referrals.byTargetGroup} list="targetGroup" />
      </section>
      <section aria-labelledby={`${id}-decisions`}>
        <h3 id={`${id}-decisions`}>{b.decisions}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.decisions.approved}>
              <CountValue value={data.decisions.approved} />
            </Figure>
            <Figure label={m.decisions.rejected}>
              <CountValue value={data.decisions.rejected} />
            </Figure>
            <Figure label={m.decisions.medianDaysToDecision}>
              <DaysValue value={data.decisions.medianDaysToDecision} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart
          id={`${id}-rejections`}
          title={m.decisions.rejectedByReason}
          data={data.decisions.rejectedByReason}
          list="rejectionReason"
        />
      </section>
      <section aria-labelledby={`${id}-cases`}>
        <h3 id={`${id}-cases`}>{b.cases}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.cases.activeAtStart}>
              <CountValue value={data.cases.activeAtStart} />
            </Figure>
            <Figure label={m.cases.activeAtEnd}>
              <CountValue value={data.cases.activeAtEnd} />
            </Figure>
            <Figure label={m.cases.served}>
              <CountValue value={data.cases.served} />
            </Figure>
            <Figure label={m.visits.total}>
              <CountValue value={data.visits.total} />
            </Figure>
            <Figure label={m.visits.householdMetShare}>
              <ShareValue value={data.visits.householdMetShare} />
            </Figure>
            <Figure label={m.visits.onTimeShare}>
              <ShareValue value={data.visits.onTimeShare} />
            </Figure>
            <Figure label={m.mediations.total}>
              <CountValue value={data.mediations.total} />
            </Figure>
            <Figure label={m.housingSecured.total}>
              <CountValue value={data.housingSecured.total} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart id={`${id}-mediations`} title={m.mediations.byKind} data={data.mediations.byKind} list="mediationKind" />
        <BreakdownChart
          id={`${id}-outcomes`}
          title={m.housingSecured.byOutcome}
          data={data.housingSecured.byOutcome}
          list="housingOutcome"
        />
      </section>
      <section aria-labelledby={`${id}-closures`}>
        <h3 id={`${id}-closures`}>{b.closures}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.closures.total}>
              <CountValue value={data.closures.total} />
            </Figure>
            <Figure label={m.closures.medianDaysApprovalToClose}>
              <DaysValue value={data.closures.medianDaysApprovalToClose} />
            </Figure>
            <Figure label={m.closures.housingSecuredRate}>
              <ShareValue value={data.closures.housingSecuredRate} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart id={`${id}-reasons`} title={m.closures.byReason} data={data.closures.byReason} list="closingReason" />
      </section>
      <section aria-labelledby={`${id}-repeat`}>
        <h3 id={`${id}-repeat`}>{b.repeatCases}</h3>
        <table className="figures">
          <thead>
            <tr>
              <th scope="col">{s().repeatWindow}</th>
              <th scope="col">{t.reportLabels.repeat.eligible}</th>
              <th scope="col">{t.reportLabels.repeat.repeated}</th>
              <th scope="col">{t.reportLabels.repeat.share}</th>
            </tr>
          </thead>
          <tbody>
            {(['6m', '12m', '24m'] as const).map((w) => (
              <tr key={w}>
                <th scope="row">{m.repeatCases[w]}</th>
                <td className="num">
                  <CountValue value={data.repeatCases[w].eligible} />
                </td>
                <td className="num">
                  <CountValue value={data.repeatCases[w].repeated} />
                </td>
                <td className="num">
                  <ShareValue value={data.repeatCases[w].share} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
