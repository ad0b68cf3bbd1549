import { useState } from 'react';
import { request } from '../api/client';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import { Empty, ErrorNotice, Loading } from '../components/status';
import { labelOf, t } from '../i18n';
import { Erasure } from './Erasure';
import { Page } from './Page';
import { Parked, RebuildProgress, type ProjectionName } from './projection-parts';

/** Operations: projection status, rebuilds with live progress, parked events, personal-data erasure. */
export function AdminPage() {
  const list = useApiQuery('get', '/api/admin/projections', {});
  const [rebuilding, setRebuilding] = useState<Partial<Record<ProjectionName, number>>>({});
  const [parkedOpen, setParkedOpen] = useState<ProjectionName | null>(null);
  const [error, setError] = useState<string | null>(null);
  const a = t.admin;

  const rebuild = async (name: ProjectionName) => {
    if (!window.confirm(a.rebuildConfirm(name))) return;
    setError(null);
    try {
      await request('post', '/api/admin/projections/{name}/rebuild', { path: { name } });
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
                {list.data.map(({ name, ...p }) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    <td>{labelOf('projectionStatus', p.status)}</td>
                    <td className="num">{p.checkpoint ?? t.common.none}</td>
                    <td className="num">{p.head}</td>
                    <td className="num">{p.lag ?? t.common.none}</td>
                    <td className="num">{p.parked}</td>
                    <td>{p.lastError ?? t.common.none}</td>
                    <td>
                      <div className="action-buttons">
                        <button type="button" onClick={() => rebuild(name)}>
                          {a.rebuild(name)}
                        </button>
                        <button
                          type="button"
                          className="secondary"
                          aria-expanded={parkedOpen === name}
                          onClick={() => setParkedOpen(parkedOpen === name ? null : name)}
                        >
                          {a.showParked(name)}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(Object.entries(rebuilding) as [ProjectionName, number][]).map(([name, run]) => (
          <RebuildProgress key={`${name}-${run}`} name={name} onFinished={list.reload} />
        ))}
        {parkedOpen && <Parked name={parkedOpen} onChanged={list.reload} />}
      </section>
      <Erasure />
    </Page>
  );
}
