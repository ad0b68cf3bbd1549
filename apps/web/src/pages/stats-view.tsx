import type { Count, Figures, Statistics } from '../api/schemas';
import { labelOf, t, type CodeList } from '../i18n';

const s = () => t.statistics;

/** The blocks of figures of the statistics answer (all households, or those with children). */
export type StatisticsBlocks = Statistics['withChildren'];
/** One breakdown: a count per code. */
type Breakdown = Record<string, Count>;

const isCount = (value: unknown): value is Count => typeof value === 'number' || value === '<5' || value === 'suppressed';
/**
 * The document declares a block as `Figures` (a map of counts, shares and medians that may be
 * null, and nested maps): the view reads each figure by its name and takes it only in the shape
 * it shows. A figure missing or of another shape is shown as not published, never guessed.
 */
export function figures(block: Figures) {
  const nested = (name: string): Figures => {
    const value = block[name];
    return value !== null && typeof value === 'object' ? value : {};
  };
  return {
    count: (name: string): Count | null => (isCount(block[name]) ? (block[name] as Count) : null),
    number: (name: string): number | null => (typeof block[name] === 'number' ? (block[name] as number) : null),
    breakdown: (name: string): Breakdown => Object.fromEntries(Object.entries(nested(name)).filter(([, v]) => isCount(v))) as Breakdown,
    nested: (name: string) => figures(nested(name)),
  };
}

/** A published count as shown: numbers as numbers, "<5" and "unterdrückt" with an explanation. */
export function CountValue({ value }: { value: Count | null }) {
  if (value === null) return <abbr title={s().notPublishedTitle}>{s().notPublished}</abbr>;
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
  const f = {
    referrals: figures(data.referrals),
    decisions: figures(data.decisions),
    cases: figures(data.cases),
    visits: figures(data.visits),
    mediations: figures(data.mediations),
    housingSecured: figures(data.housingSecured),
    closures: figures(data.closures),
    repeatCases: figures(data.repeatCases),
  };
  return (
    <div className="stats-blocks">
      <section aria-labelledby={`${id}-referrals`}>
        <h3 id={`${id}-referrals`}>{b.referrals}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.referrals.total}>
              <CountValue value={f.referrals.count('total')} />
            </Figure>
            <Figure label={m.referrals.withChildren}>
              <CountValue value={f.referrals.count('withChildren')} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart
          id={`${id}-by-source`}
          title={m.referrals.bySource}
          data={f.referrals.breakdown('bySource')}
          list="referralSource"
        />
        <BreakdownChart
          id={`${id}-by-group`}
          title={m.referrals.byTargetGroup}
          data={f.referrals.breakdown('byTargetGroup')}
          list="targetGroup"
        />
      </section>
      <section aria-labelledby={`${id}-decisions`}>
        <h3 id={`${id}-decisions`}>{b.decisions}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.decisions.approved}>
              <CountValue value={f.decisions.count('approved')} />
            </Figure>
            <Figure label={m.decisions.rejected}>
              <CountValue value={f.decisions.count('rejected')} />
            </Figure>
            <Figure label={m.decisions.medianDaysToDecision}>
              <DaysValue value={f.decisions.number('medianDaysToDecision')} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart
          id={`${id}-rejections`}
          title={m.decisions.rejectedByReason}
          data={f.decisions.breakdown('rejectedByReason')}
          list="rejectionReason"
        />
      </section>
      <section aria-labelledby={`${id}-cases`}>
        <h3 id={`${id}-cases`}>{b.cases}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.cases.activeAtStart}>
              <CountValue value={f.cases.count('activeAtStart')} />
            </Figure>
            <Figure label={m.cases.activeAtEnd}>
              <CountValue value={f.cases.count('activeAtEnd')} />
            </Figure>
            <Figure label={m.cases.served}>
              <CountValue value={f.cases.count('served')} />
            </Figure>
            <Figure label={m.visits.total}>
              <CountValue value={f.visits.count('total')} />
            </Figure>
            <Figure label={m.visits.householdMetShare}>
              <ShareValue value={f.visits.number('householdMetShare')} />
            </Figure>
            <Figure label={m.visits.onTimeShare}>
              <ShareValue value={f.visits.number('onTimeShare')} />
            </Figure>
            <Figure label={m.mediations.total}>
              <CountValue value={f.mediations.count('total')} />
            </Figure>
            <Figure label={m.housingSecured.total}>
              <CountValue value={f.housingSecured.count('total')} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart id={`${id}-mediations`} title={m.mediations.byKind} data={f.mediations.breakdown('byKind')} list="mediationKind" />
        <BreakdownChart
          id={`${id}-outcomes`}
          title={m.housingSecured.byOutcome}
          data={f.housingSecured.breakdown('byOutcome')}
          list="housingOutcome"
        />
      </section>
      <section aria-labelledby={`${id}-closures`}>
        <h3 id={`${id}-closures`}>{b.closures}</h3>
        <table className="figures">
          <tbody>
            <Figure label={m.closures.total}>
              <CountValue value={f.closures.count('total')} />
            </Figure>
            <Figure label={m.closures.medianDaysApprovalToClose}>
              <DaysValue value={f.closures.number('medianDaysApprovalToClose')} />
            </Figure>
            <Figure label={m.closures.housingSecuredRate}>
              <ShareValue value={f.closures.number('housingSecuredRate')} />
            </Figure>
          </tbody>
        </table>
        <BreakdownChart id={`${id}-reasons`} title={m.closures.byReason} data={f.closures.breakdown('byReason')} list="closingReason" />
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
                  <CountValue value={f.repeatCases.nested(w).count('eligible')} />
                </td>
                <td className="num">
                  <CountValue value={f.repeatCases.nested(w).count('repeated')} />
                </td>
                <td className="num">
                  <ShareValue value={f.repeatCases.nested(w).number('share')} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
