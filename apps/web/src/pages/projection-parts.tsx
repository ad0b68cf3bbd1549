import { useEffect, useState } from 'react';
import { request } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import type { ParkedEvent, Rebuild } from '../api/schemas';
import type { paths } from '../api/schema';
import { Empty, ErrorNotice, Loading, Notice } from '../components/status';
import { labelOf, t } from '../i18n';
import { formatDateTime } from '../i18n/format';

const POLL_MS = 500;

/** A projection's name as its routes take it (the document's enum). */
export type ProjectionName = paths['/api/admin/projections/{name}/rebuild']['post']['parameters']['path']['name'];

/** A rebuild's progress, polled until it is no longer running (live region: announced politely). */
export function RebuildProgress({ name, onFinished }: { name: ProjectionName; onFinished: () => void }) {
  const [status, setStatus] = useState<Rebuild | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const next = await request('get', '/api/admin/projections/{name}/rebuild', { path: { name } });
        if (stopped) return;
        setStatus(next);
        if (next.status === 'running') timer = setTimeout(poll, POLL_MS);
        else onFinished();
      } catch (e) {
        if (!stopped) setError(e);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [name, onFinished]);

  const cancel = () => request('delete', '/api/admin/projections/{name}/rebuild', { path: { name } }).catch(setError);
  const a = t.admin;
  return (
    <div className="rebuild" aria-labelledby={`rebuild-${name}`}>
      <h3 id={`rebuild-${name}`}>{a.rebuildProgress(name)}</h3>
      {error !== undefined && <ErrorNotice text={describeError(error)} />}
      {!status && !error && <Loading />}
      {status && (
        <>
          <progress max={Math.max(status.total, 1)} value={status.done} aria-labelledby={`rebuild-${name}`} />
          <p role="status" data-status={status.status}>
            <strong>{labelOf('rebuildStatus', status.status)}</strong>:{' '}
            {a.rebuildFigures(status.done, status.total, status.rate, status.status === 'running' ? status.eta : null)}
            {status.error ? ` (${status.error})` : ''}
          </p>
          {status.status === 'running' && (
            <button type="button" className="secondary" onClick={cancel}>
              {a.rebuildCancel}
            </button>
          )}
        </>
      )}
    </div>
  );
}

/** The events a projection parked (it could not apply them), with retry and skip. */
export function Parked({ name, onChanged }: { name: ProjectionName; onChanged: () => void }) {
  const list = useApiQuery('get', '/api/admin/projections/{name}/parked', { path: { name } });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const a = t.admin;
  const act = async (event: ParkedEvent, action: 'retry' | 'skip') => {
    try {
      await request('post', `/api/admin/projections/{name}/parked/{key}/${action}`, { path: { name, key: event.key } });
      setMessage({ ok: true, text: a.requested });
      list.reload();
      onChanged();
    } catch (e) {
      setMessage({ ok: false, text: describeError(e) });
    }
  };
  return (
    <section aria-labelledby={`parked-${name}`}>
      <h3 id={`parked-${name}`}>{a.showParked(name)}</h3>
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ErrorNotice text={describeError(list.error)} onRetry={list.reload} />}
      {list.data?.length === 0 && <Empty text={a.parkedEmpty} />}
      {message && (message.ok ? <Notice kind="success">{message.text}</Notice> : <ErrorNotice text={message.text} />)}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{a.position}</th>
                <th scope="col">{a.type}</th>
                <th scope="col">{a.error}</th>
                <th scope="col">{a.attempts}</th>
                <th scope="col">{a.actions}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((e) => (
                <tr key={`${e.key}-${e.position}`}>
                  <td className="num">{e.position}</td>
                  <td>
                    {e.type}
                    <br />
                    <span className="muted">{formatDateTime(e.parkedAt)}</span>
                  </td>
                  <td>{e.error}</td>
                  <td className="num">{e.attempts}</td>
                  <td>
                    <div className="action-buttons">
                      <button type="button" className="secondary" onClick={() => act(e, 'retry')}>
                        {a.retry}
                      </button>
                      <button type="button" className="secondary" onClick={() => act(e, 'skip')}>
                        {a.skip}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
