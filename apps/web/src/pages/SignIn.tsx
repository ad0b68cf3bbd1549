import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { USER_ID } from '@wih/vocabulary';
import { devToken } from '../api/client';
import { describeError } from '../api/problem';
import { ROLES, type Role } from '../auth/roles';
import { completeOidcSignIn, startOidcSignIn } from '../auth/oidc';
import { useAuth } from '../auth/session';
import { ErrorNotice, Loading, Notice } from '../components/status';
import { labelOf, t } from '../i18n';
import { Page } from './Page';

/** Sign-in: the development sign-in, the identity provider (OIDC), or a pasted token, as the API says. */
export function SignInPage() {
  const { config, ended } = useAuth();
  return (
    <Page title={t.signIn.title}>
      {ended === 'expired' && <Notice kind="warning">{t.signIn.expired}</Notice>}
      {ended === 'provider-sign-out-failed' && <Notice kind="warning">{t.signIn.providerSignOutFailed}</Notice>}
      {config.auth === 'dev' && <DevSignIn />}
      {config.auth === 'oidc' && <OidcSignIn />}
      {config.auth === 'token' && <TokenSignIn />}
    </Page>
  );
}

function DevSignIn() {
  const { signInWithToken } = useAuth();
  const [userId, setUserId] = useState('anna');
  const [role, setRole] = useState<Role>('caseworker');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!USER_ID.test(userId)) return setError(t.validation.userId);
    try {
      const { token } = await devToken({ userId, roles: [role] });
      if (!signInWithToken(token)) setError(t.signIn.failed);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <form onSubmit={submit} noValidate className="sign-in">
      <p>{t.signIn.devIntro}</p>
      {error && <ErrorNotice text={error} />}
      <div className="field">
        <label htmlFor="signin-user">{t.signIn.userId}</label>
        <input
          id="signin-user"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          autoComplete="username"
          aria-describedby="signin-user-hint"
          required
        />
        <span className="hint" id="signin-user-hint">
          {t.signIn.userIdHint}
        </span>
      </div>
      <fieldset className="field radio-group">
        <legend>{t.signIn.role}</legend>
        {ROLES.map((r) => (
          <label key={r} className="check">
            <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} />
            {labelOf('role', r)}
          </label>
        ))}
      </fieldset>
      <button type="submit">{t.signIn.submit}</button>
    </form>
  );
}

function OidcSignIn() {
  const { config } = useAuth();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="sign-in">
      <p>{t.signIn.oidcIntro}</p>
      {error && <ErrorNotice text={error} />}
      <button type="button" onClick={() => startOidcSignIn(config).catch(() => setError(t.signIn.failed))}>
        {t.signIn.oidcButton}
      </button>
    </div>
  );
}

function TokenSignIn() {
  const { signInWithToken } = useAuth();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!signInWithToken(token.trim())) setError(t.signIn.failed);
  };
  return (
    <form onSubmit={submit} noValidate className="sign-in">
      <p>{t.signIn.tokenIntro}</p>
      {error && <ErrorNotice text={error} />}
      <div className="field">
        <label htmlFor="signin-token">{t.signIn.token}</label>
        <textarea id="signin-token" rows={4} value={token} onChange={(e) => setToken(e.target.value)} required />
      </div>
      <button type="submit">{t.signIn.submit}</button>
    </form>
  );
}

/** The identity provider's redirect back (authorization code with PKCE). */
export function OidcCallbackPage() {
  const { config, signInWithToken } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    completeOidcSignIn(config).then(
      (token) => (signInWithToken(token) ? navigate('/', { replace: true }) : setError(t.signIn.failed)),
      () => setError(t.signIn.failed),
    );
  }, [config, navigate, signInWithToken]);
  return <Page title={t.signIn.title}>{error ? <ErrorNotice text={error} /> : <Loading text={t.signIn.finishing} />}</Page>;
}
