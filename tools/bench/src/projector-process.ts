import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onAbnormalExit } from './cleanup';

// The compiled projector next to this compiled file, as `npm run projector` runs it.
const PROJECTOR_MAIN = resolve(__dirname, '../../../apps/projector/src/main.js');

export interface RunningProjector {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The projector as its own process on the API's data directory (RUN_PROJECTIONS=false in the API);
 * `main`: another compiled projector (an earlier build, for a before/after comparison in one sitting).
 */
export function startProjector(dataDir: string, env: Record<string, string> = {}, main = PROJECTOR_MAIN): RunningProjector {
  if (!existsSync(main)) throw new Error(`the compiled projector is missing (${main}): run \`npm run build\` first`);
  const child = spawn(process.execPath, [resolve(main)], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', EVENT_STORE: 'sqlite', READ_STORE: 'sqlite', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const unregister = onAbnormalExit(() => child.kill('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000).then(() => child.kill('SIGKILL'))]);
    }
    unregister();
  };
  return { child, stop };
}
