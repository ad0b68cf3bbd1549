import { useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { request } from '../api/client';
import { useApiQuery, useIdempotencyKey } from '../api/hooks';
import { TextField } from '../components/fields';
import { ErrorNotice, ErrorSummary, Loading, Notice } from '../components/status';
import { useForm } from '../forms/form';
import { businessDate, collect, integer, todayInCologne } from '../forms/validate';
import { t } from '../i18n';
import { formatDate, formatDateTime } from '../i18n/format';
import { Page } from './Page';
import { defaultReportYear } from './ReportDashboard';
import { SectionEditor } from './ReportSection';
import { describeReportError } from './report-problems';
import { REPORT_SECTIONS, sectionOf, type AnnualReportText } from './report-types';

/** The annual report's text, section by section, and its finalisation (decision 0025). */
export function ReportEditorPage() {
  const today = todayInCologne();
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('jahr'));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= Number(today.slice(0, 4)) ? asked : defaultReportYear(today);
  const form = useForm<{ year: string }>('report-year', { year: String(year) });
  const report = useApiQuery('get', '/api/evaluation/annual-report/{year}/text', { path: { year } });
  const [done, setDone] = useState(false);
  const r = t.reportEditor;

  const open = (event: FormEvent) => {
    event.preventDefault();
    const errors = collect({ year: integer(form.values.year, 2000, Number(today.slice(0, 4))) });
    form.setErrors(errors);
    if (Object.keys(errors).length === 0) {
      setDone(false);
      setParams({ jahr: form.values.year });
    }
  };

  const data = report.loading ? undefined : report.data;
  return (
    <Page title={r.title(year)}>
      <p>{r.intro}</p>
      <form className="filters" noValidate onSubmit={open}>
        <ErrorSummary formId={form.id} message={null} errors={form.errors} labels={{ year: r.year }} />
        <TextField form={form} name="year" label={r.year} inputMode="numeric" required />
        <button type="submit">{r.open}</button>
      </form>
      {report.loading && <Loading text={r.loading} />}
      {report.error !== undefined && !report.loading && <ErrorNotice text={describeReportError(report.error)} onRetry={report.reload} />}
      {done && (
        <Notice kind="success" focus>
          {r.finaliseDone(year)}
        </Notice>
      )}
      {data &&
        (data.finalised ? (
          <FinalisedText report={data} />
        ) : (
          <>
            {REPORT_SECTIONS.map((section) => (
              <SectionEditor key={`${year}-${section}`} year={year} section={section} initial={sectionOf(data, section)} />
            ))}
            <Finalisation
              year={year}
              today={today}
              onDone={() => {
                setDone(true);
                report.reload();
              }}
            />
          </>
        ))}
    </Page>
  );
}

/** After the finalisation the text is only read: it is part of the published report. */
function FinalisedText({ report }: { report: AnnualReportText }) {
  const r = t.reportEditor;
  return (
    <>
      <Notice>{r.finalised(report.finalised ? formatDateTime(report.finalised.finalisedAt) : '')}</Notice>
      {REPORT_SECTIONS.map((section) => (
        <section key={section} aria-labelledby={`final-${section}`}>
          <h2 id={`final-${section}`}>{r.sections[section]}</h2>
          <p className="report-current-text">{sectionOf(report, section).text || r.emptySection}</p>
        </section>
      ))}
    </>
  );
}

/**
 * The finalisation behind a modal dialog: showModal() makes the rest of the page inert (focus
 * stays in the dialog) and Escape cancels; the harmless choice comes first.
 */
function Finalisation({ year, today, onDone }: { year: number; today: string; onDone: () => void }) {
  const r = t.reportEditor;
  const dialog = useRef<HTMLDialogElement>(null);
  const form = useForm<{ asOf: string }>('finalisation', { asOf: today });
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const idempotency = useIdempotencyKey();
  const earliest = `${year}-12-31`;
  // asOf is the end of the chosen day and may not lie in the future: possible once the year is over.
  const possible = today > earliest;

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const errors = collect({
      asOf: businessDate(form.values.asOf, today) ?? (form.values.asOf < earliest ? r.asOfTooEarly(formatDate(earliest)) : undefined),
    });
    form.setErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setPending(true);
    setError(null);
    const body = { asOf: form.values.asOf };
    try {
      await request('post', '/api/evaluation/annual-report/{year}/finalisation', {
        path: { year },
        body,
        idempotencyKey: idempotency.keyFor(`finalisation ${year}`, body),
      });
      idempotency.done();
      dialog.current?.close();
      onDone();
    } catch (failure) {
      setError(describeReportError(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <section aria-labelledby="finalisation-title" className="report-finalisation">
      <h2 id="finalisation-title">{r.finaliseTitle(year).replace('?', '')}</h2>
      {possible ? (
        <button type="button" className="danger" onClick={() => dialog.current?.showModal?.()}>
          {r.finalise}
        </button>
      ) : (
        <p>{r.finaliseNotYet(year)}</p>
      )}
      <dialog ref={dialog} aria-labelledby="finalise-dialog-title" aria-describedby="finalise-dialog-text" onClose={() => setError(null)}>
        <form noValidate onSubmit={confirm}>
          <h3 id="finalise-dialog-title">{r.finaliseTitle(year)}</h3>
          <p id="finalise-dialog-text">
            {r.finaliseText} {r.unsaved}
          </p>
          <ErrorSummary formId={form.id} message={error} errors={form.errors} labels={{ asOf: r.finaliseAsOf }} />
          <TextField
            form={form}
            name="asOf"
            type="date"
            label={r.finaliseAsOf}
            hint={r.finaliseAsOfHint(formatDate(earliest))}
            min={earliest}
            max={today}
            required
          />
          <div className="actions">
            <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
              {t.common.cancel}
            </button>
            <button type="submit" className="danger" aria-disabled={pending || undefined}>
              {pending ? t.common.saving : r.finaliseConfirm}
            </button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
