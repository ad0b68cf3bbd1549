import type { ReactNode } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import type { Role } from './auth/roles';
import { OIDC_CALLBACK_PATH } from './auth/oidc';
import { useAuth } from './auth/session';
import { ErrorNotice } from './components/status';
import { labelOf, t } from './i18n';
import { ActivitiesPage } from './pages/ActivitiesPage';
import { AdminPage } from './pages/AdminPage';
import { AgendaPage } from './pages/Agenda';
import { CaseListPage } from './pages/CaseList';
import { CasePage } from './pages/CasePage';
import { IntakePage } from './pages/Intake';
import { Page } from './pages/Page';
import { OidcCallbackPage, SignInPage } from './pages/SignIn';
import { OutboxCorrectionPage } from './outbox/OutboxCorrection';
import { OutboxPage } from './outbox/OutboxPage';
import { OutboxProvider, useOutbox } from './outbox/OutboxProvider';
import { OutboxStatus } from './outbox/OutboxStatus';
import { StatisticsPage } from './pages/StatisticsPage';

/** The first screen of each role: caseworkers and the Fachstelle start with what is due today. */
const HOME: Record<Role, string> = { caseworker: '/heute', fachstelle: '/heute', evaluator: '/auswertung', admin: '/betrieb' };

/** `within`: the entry stays current on its sub-pages (the others end at their own path: /fachstelle is not /fachstelle/faelle). */
const NAV: { to: string; label: string; roles: Role[]; within?: true }[] = [
  { to: '/heute', label: t.nav.today, roles: ['caseworker', 'fachstelle'] },
  { to: '/faelle', label: t.nav.caseload, roles: ['caseworker'] },
  { to: '/fachstelle', label: t.nav.queue, roles: ['fachstelle'] },
  { to: '/fachstelle/faelle', label: t.nav.allCases, roles: ['fachstelle'] },
  { to: '/aufnahme', label: t.nav.intake, roles: ['caseworker', 'fachstelle'] },
  // Caseworkers only: the API lists one's own activities, and only caseworkers record them (decision 0024).
  { to: '/aktivitaeten', label: t.activities.nav, roles: ['caseworker'] },
  { to: '/postausgang', label: t.outbox.nav, roles: ['caseworker'] },
  { to: '/auswertung', label: t.nav.statistics, roles: ['evaluator'], within: true },
  { to: '/betrieb', label: t.nav.operations, roles: ['admin'] },
];

export function App() {
  const { session } = useAuth();
  // The offline outbox is the caseworker's (field commands); opened per signed-in user.
  const owner = session?.roles.includes('caseworker') ? session.userId : null;
  return (
    <OutboxProvider owner={owner}>
      <a className="skip-link" href="#inhalt">
        {t.app.skipLink}
      </a>
      <Header />
      <main id="inhalt" tabIndex={-1}>
        <Routes>
          <Route path="/anmelden" element={<SignInRoute />} />
          <Route path={OIDC_CALLBACK_PATH} element={<OidcCallbackPage />} />
          <Route path="/" element={<Home />} />
          <Route
            path="/heute"
            element={
              <Need roles={['caseworker', 'fachstelle']}>
                <AgendaPage />
              </Need>
            }
          />
          <Route
            path="/faelle"
            element={
              <Need roles={['caseworker']}>
                <CaseListPage mode="mine" />
              </Need>
            }
          />
          <Route
            path="/faelle/:caseId"
            element={
              <Need roles={['caseworker', 'fachstelle']}>
                <CasePage />
              </Need>
            }
          />
          <Route
            path="/postausgang"
            element={
              <Need roles={['caseworker']}>
                <OutboxPage />
              </Need>
            }
          />
          <Route
            path="/postausgang/:seq"
            element={
              <Need roles={['caseworker']}>
                <OutboxCorrectionPage />
              </Need>
            }
          />
          <Route
            path="/aufnahme"
            element={
              <Need roles={['caseworker', 'fachstelle']}>
                <IntakePage />
              </Need>
            }
          />
          <Route
            path="/aktivitaeten"
            element={
              <Need roles={['caseworker']}>
                <ActivitiesPage />
              </Need>
            }
          />
          <Route
            path="/fachstelle"
            element={
              <Need roles={['fachstelle']}>
                <CaseListPage key="queue" mode="queue" />
              </Need>
            }
          />
          <Route
            path="/fachstelle/faelle"
            element={
              <Need roles={['fachstelle']}>
                <CaseListPage key="all" mode="all" />
              </Need>
            }
          />
          <Route
            path="/auswertung/*"
            element={
              <Need roles={['evaluator']}>
                <StatisticsPage />
              </Need>
            }
          />
          <Route
            path="/betrieb"
            element={
              <Need roles={['admin']}>
                <AdminPage />
              </Need>
            }
          />
          <Route
            path="*"
            element={
              <Page title={t.app.notFound}>
                <p>
                  <NavLink to="/">{t.app.toStart}</NavLink>
                </p>
              </Page>
            }
          />
        </Routes>
      </main>
    </OutboxProvider>
  );
}

function Header() {
  const { session, signOut } = useAuth();
  const outbox = useOutbox();
  // Signing out deletes the outbox from this device: asked first while anything still waits.
  const confirmSignOut = () => {
    if (!outbox?.waiting || window.confirm(t.outbox.signOutWarning(outbox.waiting))) signOut();
  };
  return (
    <header className="app-header">
      <p className="app-title">{t.app.title}</p>
      {session && (
        <>
          <nav aria-label={t.app.nav}>
            <ul>
              {NAV.filter((n) => n.roles.some((r) => session.roles.includes(r))).map((n) => (
                <li key={n.to}>
                  <NavLink to={n.to} end={!n.within}>
                    {n.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <OutboxStatus />
          <div className="user">
            <span>{t.app.signedInAs(session.name, session.roles.map((r) => labelOf('role', r)).join(', '))}</span>
            <button type="button" className="secondary" onClick={confirmSignOut}>
              {t.app.signOut}
            </button>
          </div>
        </>
      )}
    </header>
  );
}

/** Signed in, the person goes back where the sign-in interrupted them. */
function SignInRoute() {
  const { session } = useAuth();
  const from = (useLocation().state as { from?: string } | null)?.from;
  return session ? <Navigate to={from ?? '/'} replace /> : <SignInPage />;
}

function Home() {
  const { session } = useAuth();
  if (!session) return <Navigate to="/anmelden" replace />;
  const first = session.roles[0];
  return first ? (
    <Navigate to={HOME[first]} replace />
  ) : (
    <Page title={t.app.title}>
      <ErrorNotice text={t.app.noRole} />
    </Page>
  );
}

/** A screen for some roles: signed out goes to sign-in (and comes back), a wrong role is told so. */
function Need({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/anmelden" replace state={{ from: location.pathname + location.search }} />;
  if (!roles.some((r) => session.roles.includes(r)))
    return (
      <Page title={t.app.wrongRole}>
        <p>
          <NavLink to="/">{t.app.toStart}</NavLink>
        </p>
      </Page>
    );
  return <>{children}</>;
}
