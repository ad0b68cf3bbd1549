import 'reflect-metadata';
import { createApp } from './app/create-app';
import { InternalListener } from './app/internal-listener';
import { loadSettings, SettingsError } from '@wih/runtime';
import { devSignInEnabled } from './dev-auth/dev-sign-in';

async function main(): Promise<void> {
  const settings = loadSettings();
  const { app, secretGenerated, webUi } = await createApp(settings);
  // Loopback unless HOST opens it (the Docker image sets 0.0.0.0).
  await app.listen(settings.port, settings.host);
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://localhost:${port}`;
  // Metrics and docs move to the internal listener when there is one (docs/operations.md).
  const internal = app.get(InternalListener).address;
  const docsUrl = internal ? `http://${settings.internal?.host}:${internal.port}` : url;
  const lines = [
    ...(secretGenerated ? ['Generated a development token secret in the data directory.'] : []),
    `API listening on ${url} (bound to ${settings.host}; event store: ${settings.eventStore}${settings.eventStore === 'sqlite' ? `, data in ${settings.dataDir}` : ''})`,
    ...(webUi ? [`Web UI: ${url}/`] : []),
    `OpenAPI: ${docsUrl}/api/docs, metrics: ${docsUrl}/metrics`,
    settings.oidc
      ? `Tokens: issued by ${settings.oidc.issuer} (roles from the claim ${settings.oidc.rolesClaim})`
      : 'Mint a development token: npm run token -- --role caseworker --sub anna',
  ];
  console.log(lines.join('\n'));
  if (devSignInEnabled(settings)) {
    // Loud on purpose (standard error): anyone on this machine can sign in with any role.
    console.warn(
      'WARNING: development sign-in is on: anyone on this machine can get a token with any role from POST /api/dev/token.' +
        ' Set AUTH_JWT_SECRET or AUTH_OIDC_ISSUER (or NODE_ENV=production) to turn it off.',
    );
  }
}

main().catch((error: unknown) => {
  // Settings errors say what to fix; nothing else is printed beyond the error itself.
  console.error(error instanceof SettingsError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
