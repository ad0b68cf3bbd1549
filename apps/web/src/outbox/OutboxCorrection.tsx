import type { ComponentType } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useApiQuery, useReloadOnStale } from '../api/hooks';
import { describeError } from '../api/problem';
import { ErrorNotice, Loading, Notice } from '../components/status';
import { ActivityForm } from '../forms/activity-form';
import { MediationForm, VisitForm, type CaseFormProps } from '../forms/caseworker-forms';
import { t } from '../i18n';
import { CaseTimeline } from '../pages/CaseTimeline';
import { Page } from '../pages/Page';
import type { OutboxKind } from './commands';
import { entryTitle, refusalText } from './describe';
import { useOutbox } from './OutboxProvider';

/**
 * The case forms a refused entry reopens in (an activity has its own form, below); a kind without
 * one can only be discarded: a goal review is typed inside the visit form, which would record
 * another visit.
 */
const FORMS: Partial<Record<OutboxKind, ComponentType<CaseFormProps>>> = { visit: VisitForm, mediation: MediationForm };

/**
 * A refused entry, to correct: the case as it is now, for a 412 what happened since the entry's
 * revision, and the form with what was typed, sending at the current revision. Saved or queued
 * again, the refused entry leaves the outbox.
 */
export function OutboxCorrectionPage() {
  const { seq = '' } = useParams();
  const outbox = useOutbox();
  const navigate = useNavigate();
  const entry = outbox?.entries.find((e) => String(e.seq) === seq && e.state === 'refused');
  const caseId = entry?.caseId ?? null;
  const read = caseId ? { path: { id: caseId } } : null;
  const detail = useApiQuery('get', '/api/cases/{id}', read);
  const timeline = useApiQuery('get', '/api/cases/{id}/timeline', read);

  const onStale = useReloadOnStale(caseId, detail, timeline);

  if (!outbox) return null;
  const o = t.outbox;
  if (!entry)
    return (
      <Page title={o.title}>
        <Notice>{o.notFound}</Notice>
        <p>
          <Link to="/postausgang">{o.back}</Link>
        </p>
      </Page>
    );
  const Form = FORMS[entry.kind];
  const newer =
    entry.expectedRevision === null ? [] : (timeline.data?.items ?? []).filter((i) => i.revision > (entry.expectedRevision ?? 0));
  const leave = () => void outbox.discard(entry.seq);
  return (
    <Page title={o.correctTitle(entryTitle(entry))}>
      <p>
        <Link to="/postausgang">{o.back}</Link>
      </p>
      <div className="notice notice-warning" role="alert">
        <p>{o.correctIntro}</p>
        <p>
          <strong>{refusalText(entry)}</strong>
        </p>
        {entry.refusal && entry.refusal.errors.length > 0 && (
          <ul>
            {entry.refusal.errors.map((e) => (
              <li key={e.field}>
                {e.field}: {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {detail.loading && !detail.data && <Loading text={t.case.loading} />}
      {detail.error !== undefined && <ErrorNotice text={describeError(detail.error)} onRetry={detail.reload} />}
      {entry.refusal?.status === 412 && newer.length > 0 && (
        <section aria-labelledby="changed-title">
          <h2 id="changed-title">{o.changedSince}</h2>
          <CaseTimeline items={newer} />
        </section>
      )}
      {Form && detail.data ? (
        <Form
          detail={detail.data}
          draft={(entry.body ?? {}) as Record<string, unknown>}
          onStale={onStale}
          onCancel={() => navigate('/postausgang')}
          onDone={(answer) => {
            leave();
            navigate(`/faelle/${caseId}?gespeichert=1&minPosition=${answer.position}`);
          }}
          onQueued={() => {
            leave();
            navigate('/postausgang');
          }}
        />
      ) : entry.kind === 'activity' ? (
        <ActivityForm
          draft={(entry.body ?? {}) as Record<string, unknown>}
          onDone={(answer) => {
            leave();
            navigate(`/aktivitaeten?minPosition=${answer.position}`);
          }}
          onQueued={() => {
            leave();
            navigate('/postausgang');
          }}
        />
      ) : (
        !Form && <Notice>{o.noForm}</Notice>
      )}
    </Page>
  );
}
