import { useState, type FormEvent } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { download } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import { TextField } from '../components/fields';
import { Empty, ErrorNotice, ErrorSummary, Loading, Notice } from '../components/status';
import { useForm } from '../forms/form';
import { businessDate, collect, todayInCologne } from '../forms/validate';
import { t } from '../i18n';
import { formatDate } from '../i18n/format';
import { Page } from './Page';
import { ReportDashboard } from './ReportDashboard';
import { ReportEditorPage } from './ReportEditor';
import { StatisticsView } from './stats-view';

interface PeriodValues {
  [k: string]: string;
  from: string;
  to: string;
  asOf: string;
}

export const validatePeriod = (v: PeriodValues, today: string) => {
  const errors = collect({
    from: businessDate(v.from, today),
    to: businessDate(v.to, today),
    asOf: v.asOf ? businessDate(v.asOf, today) : undefined,
  });
  if (!errors.from && !errors.to && v.to < v.from) errors.to = t.validation.toBeforeFrom;
  return errors;
};

/**
 * The evaluators' area: the dashboard first (the annual report's key figures and charts), the
 * detail tables for any period second, the report's text third (decision 0039).
 */
export function StatisticsPage() {
  const e = t.evaluation;
  return (
    <>
      <nav aria-label={e.nav} className="sub-nav">
        <ul>
          <li>
            <NavLink to="/auswertung" end>
              {e.overview}
            </NavLink>
          </li>
          <li>
            <NavLink to="/auswertung/tabellen">{e.tables}</NavLink>
          </li>
          <li>
            <NavLink to="/auswertung/bericht">{e.editor}</NavLink>
          </li>
        </ul>
      </nav>
      <Routes>
        <Route index element={<ReportDashboard />} />
        <Route path="tabellen" element={<StatisticsTables />} />
        <Route path="bericht" element={<ReportEditorPage />} />
      </Routes>
    </>
  );
}

/** Anonymised statistics for a period and "as of" date, as tables, and the case export of the period. */
export function StatisticsTables() {
  const today = todayInCologne();
  const form = useForm<PeriodValues>('period', { from: `${today.slice(0, 4)}-01-01`, to: today, asOf: '' });
  const [period, setPeriod] = useState<{ from: string; to: string; asOf?: string } | null>(null);
  const stats = useApiQuery('get', '/api/evaluation/statistics', period && { query: period });
  const s = t.statistics;

  const show = (event: FormEvent) => {
    event.preventDefault();
    const errors = validatePeriod(form.values, today);
    form.setErrors(errors);
    if (Object.keys(errors).length === 0) setPeriod({ from: form.values.from, to: form.values.to, asOf: form.values.asOf || undefined });
  };

  return (
    <Page title={s.title}>
      <p>{s.intro}</p>
      <form className="filters" noValidate onSubmit={show} aria-labelledby="period-title">
        <h2 id="period-title" className="visually-hidden">
          {s.title}
        </h2>
        <ErrorSummary formId={form.id} message={null} errors={form.errors} labels={{ from: s.from, to: s.to, asOf: s.asOf }} />
        <TextField form={form} name="from" type="date" label={s.from} required />
        <TextField form={form} name="to" type="date" label={s.to} required />
        <TextField form={form} name="asOf" type="date" label={s.asOf} hint={s.asOfHint} />
        <button type="submit">{s.show}</button>
      </form>
      {period === null && <Empty text={s.empty} />}
      {stats.loading && <Loading text={s.loading} />}
      {stats.error !== undefined && <ErrorNotice text={describeError(stats.error)} onRetry={stats.reload} />}
      {stats.data && !stats.loading && (
        <section aria-labelledby="stats-all">
          <h2 id="stats-all">{s.allHouseholds}</h2>
          <p>{s.period(formatDate(stats.data.period.from), formatDate(stats.data.period.to), formatDate(stats.data.asOf))}</p>
          <StatisticsView id="all" data={stats.data} />
          <details>
            <summary>
              <h2 className="inline-heading">{s.withChildren}</h2>
            </summary>
            <StatisticsView id="children" data={stats.data.withChildren} />
          </details>
        </section>
      )}
      <Downloads period={form.values} />
    </Page>
  );
}

function Downloads({ period }: { period: PeriodValues }) {
  const s = t.statistics;
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const asOf = period.asOf || undefined;
  const get = async (file: string, fetchFile: (file: string) => Promise<void>) => {
    setMessage(null);
    try {
      await fetchFile(file);
      setMessage({ ok: true, text: s.downloaded(file) });
    } catch (error) {
      setMessage({ ok: false, text: describeError(error) });
    }
  };
  return (
    <section aria-labelledby="downloads-title">
      <h2 id="downloads-title">{s.downloads}</h2>
      <div className="action-buttons">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            get(`fallexport-${period.from}-${period.to}.csv`, (file) =>
              download('/api/evaluation/cases', { query: { from: period.from, to: period.to, format: 'csv', asOf } }, file),
            )
          }
        >
          {s.exportCsv}
        </button>
      </div>
      {message && (message.ok ? <Notice kind="success">{message.text}</Notice> : <ErrorNotice text={message.text} />)}
    </section>
  );
}
