import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { configureClient } from '../api/client';
import type { UiConfig } from '../api/schemas';
import { endOidcSession, forgetOidcStorage } from './oidc';
import { sessionFromToken, type Session } from './token';

const STORAGE_KEY = 'wih.session';

interface AuthContextValue {
  readonly session: Session | null;
  readonly config: UiConfig;
  /**
   * Why the last session ended, shown on the sign-in page: expired, or signed out here while the
   * identity provider could not be told (its session may sign the next person in).
   */
  readonly ended: 'expired' | 'provider-sign-out-failed' | null;
  signInWithToken(token: string): boolean;
  signOut(): void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

// Installed before any component renders: child components' effects (their first requests) run
// before the provider's own effects, so the token source cannot wait for one.
let onExpired: () => void = () => undefined;
configureClient({ token: () => sessionStorage.getItem(STORAGE_KEY), unauthorized: () => onExpired() });

/** What signing out must also forget on this device (the offline outbox), done before the identity provider is told. */
const signOutTasks = new Set<() => Promise<void>>();
export function beforeSignOut(task: () => Promise<void>): () => void {
  signOutTasks.add(task);
  return () => signOutTasks.delete(task);
}
const runSignOutTasks = () => Promise.allSettled([...signOutTasks].map((task) => task()));

/** Kept per browser tab (sessionStorage): closing the tab signs out, a reload does not. */
function restore(rolesClaim: string): Session | null {
  const token = sessionStorage.getItem(STORAGE_KEY);
  const session = token ? sessionFromToken(token, rolesClaim) : null;
  return session && session.expiresAt > Date.now() ? session : null;
}

export function AuthProvider({ config, children }: { config: UiConfig; children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => restore(config.rolesClaim));
  const [ended, setEnded] = useState<AuthContextValue['ended']>(null);

  /** Forgets the session in this tab: the token and whatever the OIDC client stored. */
  const endHere = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    forgetOidcStorage();
    setSession(null);
  }, []);

  /**
   * The person signs out: here, and at the identity provider (which then sends the browser back to
   * `/`). The OIDC client's stored user stays until it has read the ID token for the provider
   * (it removes it itself), or until that failed.
   */
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
    const cleared = runSignOutTasks();
    if (config.auth !== 'oidc') return forgetOidcStorage();
    // The redirect leaves the page: the outbox is cleared first, or a half-done deletion could stay behind.
    cleared
      .then(() => endOidcSession(config))
      .catch(() => {
        forgetOidcStorage();
        setEnded('provider-sign-out-failed');
      });
  }, [config]);

  const signInWithToken = useCallback(
    (token: string) => {
      const next = sessionFromToken(token, config.rolesClaim);
      if (!next) return false;
      sessionStorage.setItem(STORAGE_KEY, token);
      setEnded(null);
      setSession(next);
      return true;
    },
    [config.rolesClaim],
  );

  useEffect(() => {
    onExpired = () => {
      setEnded('expired');
      endHere();
    };
  }, [endHere]);

  // Ends the session when its token expires, instead of failing the next request.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(
      () => {
        setEnded('expired');
        endHere();
      },
      Math.max(0, Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1)),
    );
    return () => clearTimeout(timer);
  }, [session, endHere]);

  const value = useMemo(() => ({ session, config, ended, signInWithToken, signOut }), [session, config, ended, signInWithToken, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
