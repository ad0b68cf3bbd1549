import { useCallback, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { useApiQuery, useReloadOnStale } from '../api/hooks';
import { describeError } from '../api/problem';
import { useAuth } from '../auth/session';
import { ErrorNotice, Loading, Notice } from '../components/status';
import { t } from '../i18n';
import { actionOfHash } from './case-anchors';
import { CaseActions } from './CaseActions';
import { CaseDetailList, caseTitle } from './CaseDetailList';
import { CaseTimeline } from './CaseTimeline';
import { HelpPlanView } from './HelpPlanView';
import { Page } from './Page';

/** A case: its facts, what the person may record now, and its history. */
export function CasePage() {
  const { caseId = '' } = useParams();
  const [params] = useSearchParams();
  const { session } = useAuth();
  const { hash } = useLocation();
  // Reads wait for the position of the last write (read-your-writes), from the command answer.
  const [minPosition, setMinPosition] = useState<string | null>(params.get('minPosition'));
  const [saved, setSaved] = useState(params.get('gespeichert') === '1');
  const read = { path: { id: caseId }, query: { minPosition: minPosition ?? undefined } };
  const detail = useApiQuery('get', '/api/cases/{id}', read);
  const timeline = useApiQuery('get', '/api/cases/{id}/timeline', read);

  const onDone = useCallback((answer: { position: string }) => {
    setSaved(true);
    setMinPosition(answer.position);
  }, []);
  // Part of a form's requests were saved (a visit before its goal reviews): show it, keep the form open.
  const onProgress = useCallback((answer: { position: string }) => setMinPosition(answer.position), []);

  // 412: show the case as it is now; the form keeps its input and continues from this revision.
  const onStale = useReloadOnStale(caseId, detail, timeline);

  const data = detail.data?.caseId === caseId ? detail.data : undefined;
  const title = data ? caseTitle(data) : t.case.loading;
  return (
    <Page title={title}>
      <p>
        <Link to={session?.roles.includes('caseworker') ? '/faelle' : '/fachstelle/faelle'}>{t.case.back}</Link>
      </p>
      {detail.loading && !data && <Loading text={t.case.loading} />}
      {detail.error !== undefined && <ErrorNotice text={describeError(detail.error)} onRetry={detail.reload} />}
      {saved && !detail.loading && (
        <Notice kind="success" focus>
          {t.case.saved}
        </Notice>
      )}
      {data && (
        <>
          <CaseDetailList detail={data} />
          <HelpPlanView detail={data} />
          <CaseActions
            key={data.caseId}
            detail={data}
            referral={timeline.data?.items.find((i) => i.type === 'ReferralReceived')?.data}
            roles={session?.roles ?? []}
            onDone={onDone}
            onProgress={onProgress}
            onStale={onStale}
            onOpen={() => setSaved(false)}
            initial={actionOfHash(hash)}
          />
        </>
      )}
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t.case.timeline}</h2>
        {timeline.loading && !timeline.data && <Loading text={t.case.timelineLoading} />}
        {timeline.error !== undefined && detail.error === undefined && (
          <ErrorNotice text={describeError(timeline.error)} onRetry={timeline.reload} />
        )}
        {timeline.data?.restricted && <Notice>{t.restriction.timeline}</Notice>}
        {timeline.data && <CaseTimeline items={timeline.data.items} />}
      </section>
    </Page>
  );
}
