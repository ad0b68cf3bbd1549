/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { User } from 'oidc-client-ts';
import { MemoryRouter } from 'react-router';
import type { UiConfig } from '../api/schemas';
import { App } from '../App';
import { browserWindow } from './oidc';
import { AuthProvider } from './session';

/** Signing out at a shared office PC: nothing of the session may stay, here or at the identity provider. */
const ISSUER = 'https://id.example.org/realms/koeln';
const END_SESSION = `${ISSUER}/protocol/openid-connect/logout`;
const OIDC: UiConfig = { auth: 'oidc', issuer: ISSUER, clientId: 'wih-web', rolesClaim: 'realm_access.roles' };
const DEV: UiConfig = { auth: 'dev', issuer: null, clientId: null, rolesClaim: 'roles' };
const OIDC_USER_KEY = `oidc.user:${ISSUER}:wih-web`;

const part = (value: object) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (claims: object) => `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.signature`;
const exp = Math.floor(Date.now() / 1000) + 3600;
const accessToken = jwt({ sub: 'anna', name: 'Anna Schmitz', realm_access: { roles: ['caseworker'] }, roles: ['caseworker'], exp });
const idToken = jwt({ sub: 'anna', typ: 'ID', aud: 'wih-web', exp });

let discoveryStatus: number;
let assign: jest.SpyInstance;
beforeEach(() => {
  sessionStorage.clear();
  discoveryStatus = 200;
  assign = jest.spyOn(browserWindow, 'assign').mockImplementation(() => undefined);
  global.fetch = jest.fn(async (url: string | URL | Request) => {
    if (String(url) === `${ISSUER}/.well-known/openid-configuration`) {
      return new Response(
        JSON.stringify({
          issuer: ISSUER,
          authorization_endpoint: `${ISSUER}/auth`,
          token_endpoint: `${ISSUER}/token`,
          end_session_endpoint: END_SESSION,
        }),
        { status: discoveryStatus, headers: { 'content-type': 'application/json' } },
      );
    }
    return new Response(JSON.stringify({ items: [], nextCursor: null }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
});
afterEach(() => assign.mockRestore());

/** The state after an OIDC sign-in: the UI's session and oidc-client-ts's stored user with its tokens. */
function signedInWithProvider() {
  sessionStorage.setItem('wih.session', accessToken);
  sessionStorage.setItem(
    OIDC_USER_KEY,
    new User({
      id_token: idToken,
      access_token: accessToken,
      refresh_token: 'refresh-1',
      token_type: 'Bearer',
      scope: 'openid profile',
      profile: { sub: 'anna', iss: ISSUER, aud: 'wih-web', exp, iat: exp - 3600 },
      expires_at: exp,
    }).toStorageString(),
  );
}

const show = (config: UiConfig) =>
  render(
    <MemoryRouter initialEntries={['/']}>
      <AuthProvider config={config}>
        <App />
      </AuthProvider>
    </MemoryRouter>,
  );

it('with the identity provider: forgets the tokens and ends the session there, coming back to the start page', async () => {
  signedInWithProvider();
  show(OIDC);
  await userEvent.click(await screen.findByRole('button', { name: 'Abmelden' }));
  await waitFor(() => expect(assign).toHaveBeenCalledTimes(1));
  const target = new URL(assign.mock.calls[0][0] as string);
  expect(`${target.origin}${target.pathname}`).toBe(END_SESSION);
  expect(target.searchParams.get('id_token_hint')).toBe(idToken);
  expect(target.searchParams.get('post_logout_redirect_uri')).toBe(`${window.location.origin}/`);
  expect(sessionStorage.getItem('wih.session')).toBeNull();
  expect(sessionStorage.getItem(OIDC_USER_KEY)).toBeNull();
  expect(Object.values(sessionStorage).join(' ')).not.toMatch(/refresh-1|eyJ/);
  expect(screen.getByRole('button', { name: 'Mit dem Dienstkonto anmelden' })).toBeTruthy();
});

it('when the identity provider cannot be reached: forgets everything here and says that the browser must be closed', async () => {
  signedInWithProvider();
  discoveryStatus = 503;
  show(OIDC);
  await userEvent.click(await screen.findByRole('button', { name: 'Abmelden' }));
  expect(await screen.findByText(/die Abmeldung beim Dienstkonto ist fehlgeschlagen/)).toBeTruthy();
  expect(assign).not.toHaveBeenCalled();
  expect(Object.keys(sessionStorage).filter((key) => key === 'wih.session' || key.startsWith('oidc.user:'))).toEqual([]);
});

it('with the development sign-in: forgets the token and leaves nothing stored', async () => {
  sessionStorage.setItem('wih.session', jwt({ sub: 'anna', roles: ['caseworker'], exp }));
  show(DEV);
  await userEvent.click(await screen.findByRole('button', { name: 'Abmelden' }));
  expect(await screen.findByLabelText('Benutzerkennung')).toBeTruthy();
  expect(sessionStorage).toHaveLength(0);
  expect(assign).not.toHaveBeenCalled();
});
