import { useState } from 'react';
import { request } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import type { ProjectionStatus } from '../api/types';
import { Empty, ErrorNotice, Loading } from '../components/status';
import { labelOf, t } from '../i18n';
import { Erasure } from './Erasure';
import { Page } from './Page';
import { Parked, RebuildProgress } from './projection-parts';

/** Operations: projection status, rebuilds with live progress, parked events, personal-data erasure. */
export function AdminPage() {
  const list = useApiQuery<ProjectionStatus[]>('/api/admin/projections');
  const [rebuilding, setRebuilding] = useState<Record<string, number>>({});
  const [parkedOpen, setParkedOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const a = t.admin;

  const rebuild = async (name: string) => {
    if (!window.confirm(a.rebuildConfirm(name))) return;
    setError(null);
    try {
      await request(`/api/admin/projections/${encodeURIComponent(name)}/rebuild`, { method: 'POST' });
      setRebuilding((r) => ({ ...r, [name]: (r[name] ?? 0) + 1 }));
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <Page title={a.title}>
      <section aria-labelledby="projections-title">
        <h2 id="projections-title">{a.projections}</h2>
        <button type="button" className="secondary" onClick={list.reload}>
          {a.refresh}
        </button>
        {list.loading && !list.data && <Loading text={a.loading} />}
        {list.error !== undefined && <ErrorNotice text={describeError(list.error)} onRetry={list.reload} />}
        {error && <ErrorNotice text={error} />}
        {list.data?.length === 0 && <Empty text={a.empty} />}
        {list.data && list.data.length > 0 && (
          <div className="table-wrap">
            <table className="projections">
              <thead>
                <tr>
                  <th scope="col">{a.name}</th>
                  <th scope="col">{a.status}</th>
                  <th scope="col">{a.checkpoint}</th>
                  <th scope="col">{a.head}</th>
                  <th scope="col">{a.lag}</th>
                  <th scope="col">{a.parked}</th>
                  <th scope="col">{a.lastError}</th>
                  <th scope="col">{a.actions}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((p) => (
                  <tr key={p.name}>
                    <th scope="row">{p.name}</th>
                    <td>{labelOf('projectionStatus', p.status)}</td>
                    <td className="num">{p.checkpoint ?? t.common.none}</td>
                    <td className="num">{p.head}</td>
                    <td className="num">{p.lag ?? t.common.none}</td>
                    <td className="num">{p.parked}</td>
                    <td>{p.lastError ?? t.common.none}</td>
                    <td>
                      <div className="action-buttons">
                        <button type="button" onClick={() => rebuild(p.name)}>
                          {a.rebuild(p.name)}
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-expanded={parkedOpen === p.name}
                          onClick={() => setParkedOpen(parkedOpen === p.name ? null : p.name)}
                        >
                          {a.showParked(p.name)}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {Object.entries(rebuilding).map(([name, run]) => (
          <RebuildProgress key={`${name}-${run}`} name={name} onFinished={list.reload} />
        ))}
        {parkedOpen && <Parked name={parkedOpen} onChanged={list.reload} />}
      </section>
      <Erasure />
    </Page>
  );
}
