import { startTransition, useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { request } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import type { CaseloadItem } from '../api/schemas';
import type { components } from '../api/schema';
import { Empty, ErrorNotice, Loading } from '../components/status';
import { codesOf, labelOf, t } from '../i18n';
import { formatDate } from '../i18n/format';
import { Page } from './Page';

export type CaseListMode = 'mine' | 'all' | 'queue';

const PAGE_SIZE = 25;
type Search = components['schemas']['CaseloadSearchDto'];

/** A status from the address bar, when it is one (anything else is no filter rather than a refused search). */
const statusOf = (value: string | null): Search['status'] => codesOf('status').find((s) => s === value);

/** "Meine Fälle" (caseworker), "Alle Fälle" and the referral queue (Fachstelle): the caseload query with filters and cursor paging. */
export function CaseListPage({ mode }: { mode: CaseListMode }) {
  const [params, setParams] = useSearchParams();
  // The name search stays in the page, never in the address bar (browser history) or a URL
  // (proxy logs): the caseload is asked for with POST /api/caseload/search, criteria in the body.
  const [q, setQ] = useState('');
  // Only the criteria that are set (an empty field is no filter; JSON leaves out what is undefined).
  const criteria: Search = {
    status: mode === 'queue' ? 'referred' : statusOf(params.get('status')),
    overdue: params.get('overdue') === 'true' ? true : undefined,
    q: q || undefined,
    caseworkerId: (mode === 'all' && params.get('caseworkerId')) || undefined,
    sort: mode === 'queue' ? 'receivedOn' : undefined,
    limit: PAGE_SIZE,
  };
  const first = useApiQuery('post', '/api/caseload/search', { body: { ...criteria, minPosition: params.get('minPosition') || undefined } });
  const [more, setMore] = useState<{ items: CaseloadItem[]; cursor: string | null; error: unknown; loading: boolean }>({
    items: [],
    cursor: null,
    error: undefined,
    loading: false,
  });
  useEffect(() => setMore({ items: [], cursor: first.data?.nextCursor ?? null, error: undefined, loading: false }), [first.data]);

  const loadMore = async () => {
    if (!more.cursor) return;
    setMore((m) => ({ ...m, loading: true }));
    try {
      const page = await request('post', '/api/caseload/search', { body: { ...criteria, cursor: more.cursor } });
      setMore((m) => ({ items: [...m.items, ...page.items], cursor: page.nextCursor, error: undefined, loading: false }));
    } catch (error) {
      setMore((m) => ({ ...m, error, loading: false }));
    }
  };

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const key of ['status', 'caseworkerId']) if (data.get(key)) next.set(key, String(data.get(key)));
    if (data.get('overdue')) next.set('overdue', 'true');
    // One transition for both, so that the list is asked for once, with all the new criteria.
    startTransition(() => {
      setQ(String(data.get('q') ?? ''));
      setParams(next);
    });
  };

  const title = mode === 'mine' ? t.caseload.title : mode === 'all' ? t.caseload.allTitle : t.queue.title;
  const items = [...(first.data?.items ?? []), ...more.items];
  return (
    <Page title={title}>
      {mode === 'queue' ? <p>{t.queue.intro}</p> : <Filters mode={mode} params={params} q={q} onSubmit={apply} />}
      {first.loading && <Loading text={t.caseload.loading} />}
      {first.error !== undefined && <ErrorNotice text={describeError(first.error)} onRetry={first.reload} />}
      {first.data && items.length === 0 && <Empty text={mode === 'queue' ? t.queue.empty : t.caseload.empty} />}
      {items.length > 0 && (
        <div className="table-wrap">
          <CaseTable items={items} showCaseworker={mode !== 'mine'} />
        </div>
      )}
      {items.length > 0 && (
        <p role="status" className="count">
          {t.caseload.count(items.length)}
        </p>
      )}
      {more.error !== undefined && <ErrorNotice text={describeError(more.error)} />}
      {more.cursor && (
        <button type="button" className="secondary" onClick={loadMore} aria-disabled={more.loading || undefined}>
          {more.loading ? t.common.loading : t.common.loadMore}
        </button>
      )}
    </Page>
  );
}

function Filters({
  mode,
  params,
  q,
  onSubmit,
}: {
  mode: CaseListMode;
  params: URLSearchParams;
  q: string;
  onSubmit: (e: FormEvent<HTMLFormElement>) => void;
}) {
  const c = t.caseload;
  return (
    <form className="filters" role="search" aria-label={c.filters} onSubmit={onSubmit} key={params.toString()}>
      <div className="field">
        <label htmlFor="filter-status">{c.status}</label>
        <select id="filter-status" name="status" defaultValue={params.get('status') ?? ''}>
          <option value="">{c.anyStatus}</option>
          {codesOf('status').map((s) => (
            <option key={s} value={s}>
              {labelOf('status', s)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-q">{c.search}</label>
        <input id="filter-q" name="q" type="search" defaultValue={q} maxLength={100} />
      </div>
      {mode === 'all' && (
        <div className="field">
          <label htmlFor="filter-caseworker">{c.caseworker}</label>
          <input id="filter-caseworker" name="caseworkerId" defaultValue={params.get('caseworkerId') ?? ''} maxLength={128} />
        </div>
      )}
      <label className="check" htmlFor="filter-overdue">
        <input id="filter-overdue" name="overdue" type="checkbox" defaultChecked={params.get('overdue') === 'true'} />
        {c.overdueOnly}
      </label>
      <button type="submit">{c.apply}</button>
    </form>
  );
}

/** A cell's column name, shown beside its value only where the rows are cards (narrow screens). */
const CellLabel = ({ text }: { text: string }) => (
  <span className="cell-label" aria-hidden="true">
    {text}:{' '}
  </span>
);

/**
 * One markup for every width: a table on wide screens, one card per case on narrow ones (CSS).
 * The explicit roles keep the table's structure for screen readers where CSS makes its rows
 * blocks (some browsers drop it with `display: block`); the column names repeated in the cards
 * are hidden from them, who get the headers already.
 */
function CaseTable({ items, showCaseworker }: { items: CaseloadItem[]; showCaseworker: boolean }) {
  const c = t.caseload;
  return (
    <table className="cases cards" role="table">
      <thead role="rowgroup">
        <tr role="row">
          <th scope="col" role="columnheader">
            {c.household}
          </th>
          <th scope="col" role="columnheader">
            {c.status}
          </th>
          <th scope="col" role="columnheader">
            {c.receivedOn}
          </th>
          <th scope="col" role="columnheader">
            {c.nextVisitDueOn}
          </th>
          <th scope="col" role="columnheader">
            {c.plannedEndOn}
          </th>
          {showCaseworker && (
            <th scope="col" role="columnheader">
              {c.caseworker}
            </th>
          )}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {items.map((item) => (
          <tr key={item.caseId} role="row" className={item.overdue ? 'overdue' : undefined}>
            <th scope="row" role="rowheader">
              <Link to={`/faelle/${item.caseId}`}>{item.householdName ?? (item.restricted ? c.restricted : c.erased)}</Link>
            </th>
            <td role="cell">
              <CellLabel text={c.status} />
              {labelOf('status', item.status)}
            </td>
            <td role="cell">
              <CellLabel text={c.receivedOn} />
              {formatDate(item.receivedOn)}
            </td>
            <td role="cell">
              <CellLabel text={c.nextVisitDueOn} />
              {formatDate(item.nextVisitDueOn)}
              {item.overdue && <strong className="badge badge-overdue"> {c.overdue}</strong>}
            </td>
            <td role="cell">
              <CellLabel text={c.plannedEndOn} />
              {formatDate(item.plannedEndOn)}
            </td>
            {showCaseworker && (
              <td role="cell">
                <CellLabel text={c.caseworker} />
                {item.assignedCaseworkerId ?? t.common.none}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
