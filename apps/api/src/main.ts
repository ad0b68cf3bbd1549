import 'reflect-metadata';
import { createApp } from './app/create-app';
import { loadSettings, SettingsError } from './app/settings';

async function main(): Promise<void> {
  const settings = loadSettings();
  const { app, secretGenerated } = await createApp(settings);
  await app.listen(settings.port);
  const url = `http://localhost:${settings.port}`;
  console.log(`API listening on ${url} (event store: ${settings.eventStore}, data: ${settings.eventStore === 'sqlite' ? settings.dataDir : 'n/a'})`);
  console.log(`OpenAPI: ${url}/api/docs`);
  if (secretGenerated) {
    console.log('Generated a development token secret in the data directory. Mint a token with:');
    console.log('  npm run token -- --role caseworker --sub anna');
  }
}

main().catch((error: unknown) => {
  // Settings errors say what to fix; nothing else is printed beyond the error itself.
  console.error(error instanceof SettingsError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
