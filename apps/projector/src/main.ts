import { PersonalDataKeys } from '@wih/application';
import {
  loadSettings,
  openEventStore,
  openKeyStore,
  openReadStore,
  projectionManagers,
  SettingsError,
  workerPartitions,
} from '@wih/runtime';
import pino from 'pino';
import { reportStatusEvery } from './status-report';

/**
 * The projector for production: runs every projection against the configured stores (usually
 * EventStoreDB → MongoDB) while the API only reads (RUN_PROJECTIONS=false). Several projectors may
 * run; the lease in the read store lets one of them write each projection, the others stand by.
 */
async function main(): Promise<void> {
  const settings = loadSettings();
  const logger = pino({ level: settings.logLevel, base: { app: 'projector' } });
  const events = openEventStore(settings);
  // The projections commit on this handle: the WAL is copied back beside them, not inside a commit (decision 0048).
  const reads = openReadStore(settings, { checkpoints: 'background' });
  const keyStore = openKeyStore(settings);
  const keys = new PersonalDataKeys(keyStore);
  const log = { warn: (msg: string, fields?: Record<string, unknown>) => logger.warn(fields ?? {}, msg) };
  const managers = [...projectionManagers(events, reads, keys, 'projector', log, workerPartitions(settings)).values()];
  for (const manager of managers) await manager.start();
  logger.info({ projections: managers.map((m) => m.name) }, 'projector started');

  const stopReports = reportStatusEvery(60_000, managers, logger);
  const shutdown = async (signal: string) => {
    stopReports();
    logger.info({ signal }, 'projector stopping');
    await Promise.all(managers.map((m) => m.stop()));
    await Promise.all([events.close(), reads.close(), keyStore.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof SettingsError ? `Configuration error: ${error.message}` : error);
  process.exit(1);
});
