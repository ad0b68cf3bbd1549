import { useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { useIdempotencyKey } from '../api/hooks';
import { ApiError } from '../api/problem';
import { ErrorNotice, Notice } from '../components/status';
import { t } from '../i18n';
import { describeReportError } from './report-problems';
import { matchesOf, sectionOf, type ReportSection, type SectionText } from './report-types';

/** The API's limit: code points of the NFC form (decision 0025). */
export const MAX_SECTION_LENGTH = 10_000;
const lengthOf = (text: string) => [...text.normalize('NFC')].length;

type Problem =
  | { kind: 'stale' }
  | { kind: 'personal-data'; matches: string[]; submitted: string }
  | { kind: 'too-long' }
  | { kind: 'other'; text: string };

/** The submitted text with each passage the API named marked, so the writer sees where it stands. */
export function MarkedPassages({ text, matches }: { text: string; matches: readonly string[] }) {
  const pieces: { text: string; marked: boolean }[] = [];
  let rest = text;
  for (;;) {
    const found = matches
      .map((m) => ({ m, at: m ? rest.indexOf(m) : -1 }))
      .filter((f) => f.at >= 0)
      .sort((a, b) => a.at - b.at || b.m.length - a.m.length)[0];
    if (!found) break;
    if (found.at > 0) pieces.push({ text: rest.slice(0, found.at), marked: false });
    pieces.push({ text: found.m, marked: true });
    rest = rest.slice(found.at + found.m.length);
  }
  if (rest) pieces.push({ text: rest, marked: false });
  return (
    <p className="report-marked">{pieces.map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</p>
  );
}

/**
 * One section of the report's text: a textarea, saved with If-Match of the revision it was
 * edited on. A 412 keeps the typed text and offers the current one beside it; a refusal for
 * personal data lists (and marks) the passages beside the field; nothing typed is ever lost.
 */
export function SectionEditor({ year, section, initial }: { year: number; section: ReportSection; initial: SectionText }) {
  const r = t.reportEditor;
  const label = r.sections[section] ?? section;
  const id = `section-${section}`;
  const [text, setText] = useState(initial.text);
  const [revision, setRevision] = useState(initial.revision);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [current, setCurrent] = useState<SectionText | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [pending, setPending] = useState(false);
  const idempotency = useIdempotencyKey();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    setSaved(null);
    if (lengthOf(text) > MAX_SECTION_LENGTH) return setProblem({ kind: 'too-long' });
    setPending(true);
    const body = { text };
    try {
      const answer = await request('put', '/api/evaluation/annual-report/{year}/text/{section}', {
        path: { year, section },
        body,
        ifMatch: revision,
        idempotencyKey: idempotency.keyFor(`${year} ${section} ${revision}`, body),
      });
      idempotency.done();
      setRevision(answer.revision);
      setProblem(null);
      setCurrent(null);
      setSaved(answer.revision);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) setProblem({ kind: 'stale' });
      else if (error instanceof ApiError && error.code === 'personal-data-in-text')
        setProblem({ kind: 'personal-data', matches: matchesOf(error.problem), submitted: text });
      else setProblem({ kind: 'other', text: describeReportError(error) });
    } finally {
      setPending(false);
    }
  };

  // The current text comes beside the typed one; saving then knowingly replaces that revision.
  const loadCurrent = async () => {
    try {
      const report = await request('get', '/api/evaluation/annual-report/{year}/text', { path: { year } });
      const latest = sectionOf(report, section);
      setCurrent(latest);
      setRevision(latest.revision);
    } catch (error) {
      setProblem({ kind: 'other', text: describeReportError(error) });
    }
  };

  const errorId = `${id}-error`;
  const fieldProblem = problem?.kind === 'personal-data' || problem?.kind === 'too-long';
  return (
    <form className="report-section" noValidate onSubmit={save} aria-labelledby={`${id}-title`}>
      <div className={`field report-field${fieldProblem ? ' has-error' : ''}`}>
        <h2 id={`${id}-title`}>
          <label htmlFor={id}>{label}</label>
        </h2>
        <span className="hint" id={`${id}-hint`}>
          {r.revision(revision)} · {r.characters(lengthOf(text), MAX_SECTION_LENGTH)}
        </span>
        <div className={current ? 'report-compare' : undefined}>
          <div>
            {current && <p className="report-compare-title">{r.yours}</p>}
            <textarea
              id={id}
              rows={8}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setSaved(null);
                if (problem?.kind !== 'stale') setProblem(null);
              }}
              aria-invalid={fieldProblem || undefined}
              aria-describedby={[`${id}-hint`, fieldProblem ? errorId : ''].filter(Boolean).join(' ')}
            />
          </div>
          {current && (
            <div className="report-current" aria-labelledby={`${id}-current-title`} role="region">
              <p className="report-compare-title" id={`${id}-current-title`}>
                {r.current(current.revision)}
              </p>
              <p className="report-current-text">{current.text || r.emptySection}</p>
              <button type="button" className="secondary" onClick={() => setText(current.text)}>
                {r.takeCurrent}
              </button>
            </div>
          )}
        </div>
        {problem?.kind === 'personal-data' && (
          <div className="field-error report-matches" id={errorId}>
            <p>{r.personalData}</p>
            <ul>
              {problem.matches.map((m) => (
                <li key={m}>
                  <mark>{m}</mark>
                </li>
              ))}
            </ul>
            <p>{r.personalDataMarked}</p>
            <MarkedPassages text={problem.submitted} matches={problem.matches} />
          </div>
        )}
        {problem?.kind === 'too-long' && (
          <span className="field-error" id={errorId}>
            {r.tooLong(MAX_SECTION_LENGTH)}
          </span>
        )}
      </div>
      {problem?.kind === 'stale' && (
        <div className="notice notice-warning" role="alert">
          <p>{r.stale}</p>
          {current ? (
            <p>{r.overwriteHint(current.revision)}</p>
          ) : (
            <button type="button" className="secondary" onClick={loadCurrent}>
              {r.loadCurrent}
            </button>
          )}
        </div>
      )}
      {problem?.kind === 'other' && <ErrorNotice text={problem.text} />}
      {saved !== null && <Notice kind="success">{r.saved(label, saved)}</Notice>}
      <button type="submit" aria-disabled={pending || undefined}>
        {pending ? t.common.saving : r.save(label)}
      </button>
    </form>
  );
}
