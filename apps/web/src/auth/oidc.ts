import type { INavigator } from 'oidc-client-ts';
import type { UiConfig } from '../api/schemas';

/** The callback route of the authorization code flow (registered at the identity provider). */
export const OIDC_CALLBACK_PATH = '/anmelden/rueckruf';

/** Where the page goes to the identity provider; the component tests watch it here (jsdom cannot leave a page). */
export const browserWindow = { assign: (url: string): void => window.location.assign(url) };

/** oidc-client-ts's redirects, through `browserWindow`; the page is gone afterwards, so `navigate` never settles. */
const redirectNavigator: INavigator = {
  prepare: async () => ({
    navigate: ({ url }) => {
      browserWindow.assign(url);
      return new Promise<never>(() => undefined);
    },
    close: () => undefined,
  }),
  callback: async () => undefined,
};

/** oidc-client-ts, loaded only when the API runs with an identity provider. */
async function manager(config: UiConfig) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager(
    {
      authority: config.issuer ?? '',
      client_id: config.clientId ?? '',
      redirect_uri: `${window.location.origin}${OIDC_CALLBACK_PATH}`,
      post_logout_redirect_uri: `${window.location.origin}/`,
      response_type: 'code', // authorization code; oidc-client-ts adds PKCE (S256)
      scope: 'openid profile',
      // No hidden iframe (the UI forbids framing); at expiry the person signs in again, usually
      // without typing anything thanks to the provider's own session.
      automaticSilentRenew: false,
      // Tokens and the sign-in's state stay in this tab only (oidc-client-ts keeps the state in localStorage otherwise).
      userStore: new WebStorageStateStore({ store: window.sessionStorage }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    },
    redirectNavigator,
  );
}

export async function startOidcSignIn(config: UiConfig): Promise<void> {
  await (await manager(config)).signinRedirect();
}

/** Completes the redirect back from the identity provider; answers the access token. */
export async function completeOidcSignIn(config: UiConfig): Promise<string> {
  const user = await (await manager(config)).signinRedirectCallback();
  return user.access_token;
}

/**
 * Signs out at the identity provider too: else its session would sign the next person at a shared
 * PC straight back in as this one. oidc-client-ts removes the stored user (tokens) and sends the
 * browser to the provider's end-session endpoint with the ID token as hint, which sends it back to `/`.
 */
export async function endOidcSession(config: UiConfig): Promise<void> {
  const users = await manager(config);
  try {
    await users.signoutRedirect();
  } catch (error) {
    await users.removeUser();
    throw error;
  }
}

/** Everything oidc-client-ts keeps in this tab (its keys start with `oidc.`). */
export function forgetOidcStorage(): void {
  for (const key of Object.keys(window.sessionStorage)) if (key.startsWith('oidc.')) window.sessionStorage.removeItem(key);
}
