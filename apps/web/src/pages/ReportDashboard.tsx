import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { download } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { TextField } from '../components/fields';
import { ErrorNotice, ErrorSummary, Loading, Notice } from '../components/status';
import { useForm } from '../forms/form';
import { businessDate, collect, integer, todayInCologne } from '../forms/validate';
import { labelOf, t, type CodeList } from '../i18n';
import { formatDate } from '../i18n/format';
import { Page } from './Page';
import { ComparisonChart, type ComparisonRow } from './ReportCharts';
import { describeReportError } from './report-problems';
import type { AnnualReport, Count, Statistics } from './report-types';
import { CountValue, DaysValue, figures, ShareValue } from './stats-view';

/** Until the report is due (30 April) the year before is the one being written; then the current one. */
export const defaultReportYear = (today: string): number => Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) <= 4 ? 1 : 0);

const REPORT = '/api/evaluation/annual-report/{year}' as const;
const reportInit = (year: number, asOf: string, format?: 'html' | 'csv' | 'pdf') => ({
  path: { year },
  query: { format, asOf: asOf || undefined },
});

/** The evaluator's first screen: the annual report's key figures beside the year before, charts, downloads. */
export function ReportDashboard() {
  const today = todayInCologne();
  const form = useForm<{ year: string; asOf: string }>('dashboard', { year: String(defaultReportYear(today)), asOf: '' });
  const [shown, setShown] = useState({ year: Number(form.values.year), asOf: '' });
  const report = useApiQuery('get', REPORT, reportInit(shown.year, shown.asOf));
  const d = t.dashboard;

  const show = (event: FormEvent) => {
    event.preventDefault();
    const errors = collect({
      year: integer(form.values.year, 2000, Number(today.slice(0, 4))),
      asOf: form.values.asOf ? businessDate(form.values.asOf, today) : undefined,
    });
    form.setErrors(errors);
    if (Object.keys(errors).length === 0) setShown({ year: Number(form.values.year), asOf: form.values.asOf });
  };

  const data = report.loading ? undefined : report.data;
  return (
    <Page title={d.title(shown.year)}>
      <p>{d.intro}</p>
      <form className="filters" noValidate onSubmit={show} aria-label={d.show}>
        <ErrorSummary formId={form.id} message={null} errors={form.errors} labels={{ year: d.year, asOf: d.asOf }} />
        <TextField form={form} name="year" label={d.year} inputMode="numeric" required />
        <TextField form={form} name="asOf" type="date" label={d.asOf} hint={d.asOfHint} />
        <button type="submit">{d.show}</button>
      </form>
      {report.loading && <Loading text={d.loading} />}
      {report.error !== undefined && !report.loading && <ErrorNotice text={describeReportError(report.error)} onRetry={report.reload} />}
      {data && <Overview report={data} />}
      <Downloads year={shown.year} asOf={shown.asOf} />
      <ul className="report-links">
        <li>
          <Link to="/auswertung/tabellen">{d.toTables}</Link>
        </li>
        <li>
          <Link to={`/auswertung/bericht?jahr=${shown.year}`}>{d.toEditor(shown.year)}</Link>
        </li>
      </ul>
    </Page>
  );
}

const breakdownRows = (
  list: CodeList,
  current: Partial<Record<string, Count>>,
  previous: Partial<Record<string, Count>>,
): ComparisonRow[] =>
  [...new Set([...Object.keys(current), ...Object.keys(previous)])].map((code) => ({
    key: code,
    label: labelOf(list, code),
    current: current[code] ?? 0,
    previous: previous[code] ?? 0,
  }));

/** The key figures: block and figure name in the answer (decision 0034: read figure by figure). */
const KEY_FIGURES = [
  ['referrals', 'referrals', 'total'],
  ['approved', 'decisions', 'approved'],
  ['rejected', 'decisions', 'rejected'],
  ['served', 'cases', 'served'],
  ['housingSecured', 'housingSecured', 'total'],
  ['closures', 'closures', 'total'],
] as const;

const keyRows = (c: Statistics, p: Statistics): ComparisonRow[] =>
  KEY_FIGURES.map(([key, block, name]) => ({
    key,
    label: t.dashboard.short[key],
    current: figures(c[block]).count(name),
    previous: figures(p[block]).count(name),
  }));

function Overview({ report }: { report: AnnualReport }) {
  const d = t.dashboard;
  const m = t.reportLabels.metrics;
  const { current: c, previous: p, year } = report;
  const median = (x: Statistics) => figures(x.decisions).number('medianDaysToDecision');
  const secured = (x: Statistics) => figures(x.closures).number('housingSecuredRate');
  return (
    <>
      <p>
        {d.state(formatDate(report.finalised?.asOf ?? report.asOf), report.finalised ? formatDate(report.finalised.finalisedAt) : null)}
      </p>
      <section aria-labelledby="key-figures">
        <h2 id="key-figures">{d.keyFigures}</h2>
        <dl className="key-figures">
          {keyRows(c, p).map((r) => (
            <KeyFigure
              key={r.key}
              label={r.label}
              year={year}
              previous={<CountValue value={r.previous} />}
              delta={delta(r.current, r.previous)}
            >
              <CountValue value={r.current} />
            </KeyFigure>
          ))}
          <KeyFigure label={m.decisions.medianDaysToDecision} year={year} previous={<DaysValue value={median(p)} />}>
            <DaysValue value={median(c)} />
          </KeyFigure>
          <KeyFigure label={m.closures.housingSecuredRate} year={year} previous={<ShareValue value={secured(p)} />}>
            <ShareValue value={secured(c)} />
          </KeyFigure>
        </dl>
      </section>
      <section aria-labelledby="charts">
        <h2 id="charts">{d.charts}</h2>
        <div className="report-charts">
          <ComparisonChart id="chart-key" title={d.keyChart} year={year} rows={keyRows(c, p)} />
          <ComparisonChart
            id="chart-source"
            title={d.bySource}
            year={year}
            rows={breakdownRows('referralSource', figures(c.referrals).breakdown('bySource'), figures(p.referrals).breakdown('bySource'))}
          />
          <ComparisonChart
            id="chart-outcome"
            title={d.byOutcome}
            year={year}
            rows={breakdownRows(
              'housingOutcome',
              figures(c.housingSecured).breakdown('byOutcome'),
              figures(p.housingSecured).breakdown('byOutcome'),
            )}
          />
          <ComparisonChart
            id="chart-reason"
            title={d.byReason}
            year={year}
            rows={breakdownRows('closingReason', figures(c.closures).breakdown('byReason'), figures(p.closures).breakdown('byReason'))}
          />
        </div>
      </section>
    </>
  );
}

/** A change is only said between two published numbers: a withheld cell has no difference. */
const delta = (current: Count | null, previous: Count | null): number | null =>
  typeof current === 'number' && typeof previous === 'number' ? current - previous : null;

function KeyFigure({
  label,
  year,
  previous,
  delta: change,
  children,
}: {
  label: string;
  year: number;
  previous: ReactNode;
  delta?: number | null;
  children: ReactNode;
}) {
  const d = t.dashboard;
  return (
    <div className="key-figure">
      <dt>{label}</dt>
      <dd className="key-figure-value">{children}</dd>
      <dd>
        {d.previousYear(year - 1)}: {previous}
      </dd>
      {change !== undefined && <dd className="muted">{change === null ? d.noChange : d.change(change)}</dd>}
    </div>
  );
}

function Downloads({ year, asOf }: { year: number; asOf: string }) {
  const d = t.dashboard;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const get = async (format: 'html' | 'csv' | 'pdf') => {
    const file = `jahresbericht-${year}.${format}`;
    setMessage(null);
    try {
      await download(REPORT, reportInit(year, asOf, format), file);
      setMessage({ ok: true, text: d.downloaded(file) });
    } catch (error) {
      setMessage({ ok: false, text: describeReportError(error) });
    }
  };
  return (
    <section aria-labelledby="report-downloads">
      <h2 id="report-downloads">{d.downloads}</h2>
      <div className="action-buttons">
        <button type="button" className="secondary" onClick={() => get('html')}>
          {d.html}
        </button>
        <button type="button" className="secondary" onClick={() => get('csv')}>
          {d.csv}
        </button>
        <button type="button" className="secondary" onClick={() => get('pdf')}>
          {d.pdf}
        </button>
      </div>
      {message && (message.ok ? <Notice kind="success">{message.text}</Notice> : <ErrorNotice text={message.text} />)}
    </section>
  );
}
