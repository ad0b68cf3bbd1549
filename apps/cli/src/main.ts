import { loadSettings, openEventStore } from '@wih/runtime';
import { Command } from 'commander';
import { backupCommands } from './backup';
import { evaluationCommands } from './evaluation';
import { backupBar, followRebuild, migrationBar, replayBar } from './progress';
import { migrateCommand } from './migrate';
import { keysCommands } from './keys';
import { retentionCommands } from './retention';
import { smokeCommand } from './smoke';
import { apiTarget, storeTarget, type Target } from './targets';

/**
 * Operations CLI: `npm run cli -- projections rebuild <name|all> [--api http://localhost:3000 --token …]`.
 * Without --api it works on the stores configured by the environment (DATA_DIR, EVENT_STORE, READ_STORE).
 * Evaluation: `npm run -s cli -- report --year 2025 --format html > jahresbericht-2025.html`, and `export`.
 * Retention: `npm run cli -- retention run [--dry-run] [--today 2031-01-01]`.
 * Backups of the embedded stores: `npm run cli -- backup <dir>`, `npm run cli -- restore <dir> [--log-from <events.sqlite>]`.
 * Store migration: `npm run cli -- migrate --to-event-store <esdb url | sqlite:<dir>/events.sqlite> [--to-mongo <url>]`.
 * Smoke test of the stores: `npm run smoke -- [--esdb <url>] [--mongo <url>]` (= `cli -- smoke`).
 */
const program = new Command('wih').description('operations for the Wohnintegrationshilfe case management');
const projections = program.command('projections').description('read model projections');

interface Connection {
  api?: string;
  token?: string;
}
const withApi = (command: Command) =>
  command.option('--api <url>', 'a running API (admin token needed)').option('--token <jwt>', 'admin bearer token (or WIH_TOKEN)');

async function withTarget<T>(options: Connection, work: (target: Target) => Promise<T>): Promise<T> {
  const token = options.token ?? process.env.WIH_TOKEN;
  if (options.api && !token) throw new Error('--api needs --token or WIH_TOKEN (an admin token: npm run token -- --role admin --sub ops)');
  const target = options.api && token ? apiTarget(options.api, token) : await storeTarget();
  try {
    return await work(target);
  } finally {
    await target.close();
  }
}

withApi(projections.command('status').description('status, checkpoint and lag of every projection')).action((options: Connection) =>
  withTarget(options, async (target) => console.table(await target.projections())),
);

withApi(projections.command('rebuild <name>').description('zero-downtime rebuild of one projection, or "all"')).action(
  (name: string, options: Connection) =>
    withTarget(options, async (target) => {
      const names = name === 'all' ? (await target.projections()).map((p) => p.name) : [name];
      let failed = false;
      // All started before any is followed: the rebuilds of one category fold in one pass over the log.
      for (const projection of names) await target.startRebuild(projection);
      for (const projection of names) {
        const final = await followRebuild(projection, () => target.rebuildStatus(projection));
        console.log(`${projection}: ${final.status} (${final.done} events${final.error ? `, ${final.error}` : ''})`);
        failed ||= final.status !== 'done';
      }
      if (failed) process.exitCode = 1;
    }),
);

withApi(projections.command('parked <name>').description('events parked because the projection failed on them')).action(
  (name: string, options: Connection) => withTarget(options, async (target) => console.table(await target.parked(name))),
);

for (const action of ['retry', 'skip'] as const) {
  withApi(projections.command(`${action} <name> <key>`).description(`${action} the parked events of one case (key = case id)`)).action(
    (name: string, key: string, options: Connection) =>
      withTarget(options, async (target) => {
        await target.act(name, key, action);
        console.log(`${action} requested for ${name}/${key}; the process running ${name} carries it out`);
      }),
  );
}

evaluationCommands(program, {
  openStore: () => openEventStore(loadSettings()),
  write: (text) => void process.stdout.write(text),
  progress: replayBar,
  warn: (text) => console.error(text),
});

retentionCommands(program, (text) => void process.stdout.write(text));
keysCommands(program, (text) => void process.stdout.write(text));
backupCommands(program, { write: (text) => void process.stdout.write(text), progress: backupBar });

migrateCommand(program, {
  write: (text) => void process.stdout.write(text),
  progress: migrationBar,
  exit: (code) => {
    process.exitCode = code;
  },
});

smokeCommand(program, {
  line: (text) => console.log(text),
  env: process.env,
  exit: (code) => {
    process.exitCode = code;
    // A driver may keep a socket to a server that never answered: the verdict is printed, so end anyway.
    setTimeout(() => process.exit(code), 2000).unref();
  },
});

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
