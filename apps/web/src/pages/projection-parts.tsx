import { useEffect, useState } from 'react';
import { request } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import type { ParkedEvent, RebuildStatus } from '../api/types';
import { Empty, ErrorNotice, Loading, Notice } from '../components/status';
import { labelOf, t } from '../i18n';
import { formatDateTime } from '../i18n/format';

const POLL_MS = 500;

/** A rebuild's progress, polled until it is no longer running (live region: announced politely). */
export function RebuildProgress({ name, onFinished }: { name: string; onFinished: () => void }) {
  const [status, setStatus] = useState<RebuildStatus | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const path = `/api/admin/projections/${encodeURIComponent(name)}/rebuild`;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const next = await request<RebuildStatus>(path);
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
  }, [path, onFinished]);

  const cancel = () => request(path, { method: 'DELETE' }).catch(setError);
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
export function Parked({ name, onChanged }: { name: string; onChanged: () => void }) {
  const list = useApiQuery<ParkedEvent[]>(`/api/admin/projections/${encodeURIComponent(name)}/parked`);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const a = t.admin;
  const act = async (event: ParkedEvent, action: 'retry' | 'skip') => {
    try {
      await request(`/api/admin/projections/${encodeURIComponent(name)}/parked/${encodeURIComponent(event.key)}/${action}`, {
        method: 'POST',
      });
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
