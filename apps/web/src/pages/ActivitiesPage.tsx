import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import type { ActivityAnswer } from '../api/schemas';
import { Empty, ErrorNotice, Loading, Notice } from '../components/status';
import { ActivityForm } from '../forms/activity-form';
import { labelOf, t } from '../i18n';
import { formatDate } from '../i18n/format';
import { Page } from './Page';

const hours = (n: number) => t.activities.hoursValue(n.toLocaleString('de-DE'));

/** Activities beyond single cases: record one, and the list of one's own (the API lists only those). */
export function ActivitiesPage() {
  // Saved from the outbox's correction page, the address carries the position to wait for.
  const [search] = useSearchParams();
  const [minPosition, setMinPosition] = useState<string | null>(() => search.get('minPosition'));
  // A new form after each save (a fresh Idempotency-Key and empty fields for the next activity).
  const [formKey, setFormKey] = useState(0);
  // Written without a connection: a fresh form, and the page says the last one waits (never "saved").
  const [queued, setQueued] = useState(false);
  const list = useApiQuery('get', '/api/activities', { query: { minPosition: minPosition ?? undefined } });
  const onDone = (answer: ActivityAnswer) => {
    setQueued(false);
    setMinPosition(answer.position);
    setFormKey((k) => k + 1);
  };
  const onQueued = () => {
    setQueued(true);
    setMinPosition(null);
    setFormKey((k) => k + 1);
  };
  const f = t.activities;
  // Newest first, as on the case's timeline.
  const items = [...(list.data?.items ?? [])].reverse();
  return (
    <Page title={f.title}>
      <p>{f.intro}</p>
      {minPosition && !list.loading && (
        <Notice kind="success" focus>
          {f.saved}
        </Notice>
      )}
      {queued && (
        <Notice kind="warning" focus>
          {t.outbox.queued}
        </Notice>
      )}
      <ActivityForm key={formKey} onDone={onDone} onQueued={onQueued} />
      <section aria-labelledby="activities-title">
        <h2 id="activities-title">{f.listTitle}</h2>
        {list.loading && !list.data && <Loading text={f.loading} />}
        {list.error !== undefined && <ErrorNotice text={describeError(list.error)} onRetry={list.reload} />}
        {list.data && items.length === 0 && <Empty text={f.empty} />}
        {items.length > 0 && (
          <ul className="activity-list">
            {items.map((a) => (
              <li key={a.activityId}>
                <p>
                  <strong>{labelOf('activityKind', a.kind)}</strong>, {formatDate(a.on)}
                </p>
                <p>
                  {labelOf('district', a.district)} · {hours(a.hours)} · {f.participants}: {a.participants}
                </p>
                {a.partnerKinds.length > 0 && (
                  <p className="muted">
                    {f.partnerKinds}: {a.partnerKinds.map((p) => labelOf('referralSource', p)).join(', ')}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
        {list.data?.truncated && <Notice>{f.truncated}</Notice>}
      </section>
    </Page>
  );
}
