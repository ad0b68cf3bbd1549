import type { UiConfig } from '../api/types';

/** The callback route of the authorization code flow (registered at the identity provider). */
export const OIDC_CALLBACK_PATH = '/anmelden/rueckruf';

/** oidc-client-ts, loaded only when the API runs with an identity provider. */
async function manager(config: UiConfig) {
  const { UserManager, WebStorageStateStore } = await import('oidc-client-ts');
  return new UserManager({
    authority: config.issuer ?? '',
    client_id: config.clientId ?? '',
    redirect_uri: `${window.location.origin}${OIDC_CALLBACK_PATH}`,
    post_logout_redirect_uri: `${window.location.origin}/`,
    response_type: 'code', // authorization code; oidc-client-ts adds PKCE (S256)
    scope: 'openid profile',
    // No hidden iframe (the UI forbids framing); at expiry the person signs in again, usually
    // without typing anything thanks to the provider's own session.
    automaticSilentRenew: false,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

export async function startOidcSignIn(config: UiConfig): Promise<void> {
  await (await manager(config)).signinRedirect();
}

/** Completes the redirect back from the identity provider; answers the access token. */
export async function completeOidcSignIn(config: UiConfig): Promise<string> {
  const user = await (await manager(config)).signinRedirectCallback();
  return user.access_token;
}
