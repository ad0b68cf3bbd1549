import { Link, useSearchParams } from 'react-router';
import type { AgendaKind } from '../api/agenda';
import { useApiQuery } from '../api/hooks';
import { describeError } from '../api/problem';
import type { Role } from '../auth/roles';
import { useAuth } from '../auth/session';
import { Empty, ErrorNotice, Loading } from '../components/status';
import { t } from '../i18n';
import { formatDate } from '../i18n/format';
import { agendaLink, groupAgenda } from './agenda-parts';
import { Page } from './Page';

/** Where the rest of a kind is listed when the agenda leaves some out. */
function listOf(kind: AgendaKind, roles: readonly Role[]): string {
  const fachstelle = roles.includes('fachstelle');
  if (kind === 'referral-waiting') return '/fachstelle';
  const list = fachstelle ? '/fachstelle/faelle' : '/faelle';
  return kind === 'visit-overdue' ? `${list}?overdue=true` : list;
}

/**
 * "Heute", the start page of caseworkers and the Fachstelle (`GET /api/agenda`): a section per
 * kind, each entry a link to the case at the form for what is due.
 */
export function AgendaPage() {
  const [params] = useSearchParams();
  const { session } = useAuth();
  const roles = session?.roles ?? [];
  const agenda = useApiQuery('get', '/api/agenda', { query: { minPosition: params.get('minPosition') ?? undefined } });
  const a = t.agenda;
  const groups = agenda.data && agenda.data.items.length > 0 ? groupAgenda(agenda.data) : [];
  const showCaseworker = roles.includes('fachstelle');
  return (
    <Page title={a.title}>
      <p>{a.intro}</p>
      {agenda.data && <p className="muted">{a.today(formatDate(agenda.data.today))}</p>}
      {agenda.loading && !agenda.data && <Loading text={a.loading} />}
      {agenda.error !== undefined && <ErrorNotice text={describeError(agenda.error)} onRetry={agenda.reload} />}
      {agenda.data && agenda.data.items.length === 0 && <Empty text={a.nothing} />}
      {groups.map((group) => (
        <section key={group.kind} aria-labelledby={`agenda-${group.kind}`} className="agenda-group">
          <h2 id={`agenda-${group.kind}`}>
            {a.kinds[group.kind]} <span className="count">({group.items.length + group.more})</span>
          </h2>
          {group.items.length === 0 ? (
            <Empty text={a.empty[group.kind]} />
          ) : (
            <ul className="agenda-list">
              {group.items.map((item) => (
                <li key={item.caseId}>
                  <Link to={agendaLink(item, roles)}>
                    <strong>{item.householdName ?? t.caseload.erased}</strong>
                    <span>{a.detail[item.kind](item.days, formatDate(item.dueOn))}</span>
                    {showCaseworker && (
                      <span className="muted">{item.assignedCaseworkerId ? a.caseworker(item.assignedCaseworkerId) : a.noCaseworker}</span>
                    )}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {group.more > 0 && (
            <p>
              {a.more(group.more)} <Link to={listOf(group.kind, roles)}>{a.toList}</Link>
            </p>
          )}
        </section>
      ))}
    </Page>
  );
}
