import { PersonalDataKeys, runRetention, type RetentionReport } from '@wih/application';
import { businessDateOf, isCalendarDate } from '@wih/domain';
import { loadSettings, openEventStore, openKeyStore } from '@wih/runtime';
import type { Command } from 'commander';

interface RetentionOptions {
  dryRun?: boolean;
  today?: string;
}

/** One line per household (its id and expiry only: no personal data), then the totals. */
export const formatRetention = (report: RetentionReport): string => {
  const outcome = new Map(report.erasures.map((e) => [e.householdId, e.outcome]));
  const lines = report.due.map(
    (d) => `${d.householdId}  expired ${d.expiredOn}  ${report.dryRun ? 'due' : (outcome.get(d.householdId) ?? 'due')}`,
  );
  const erased = report.erasures.filter((e) => e.outcome === 'erased').length;
  const summary = report.dryRun
    ? `${report.due.length} household(s) due on ${report.today} (dry run: nothing erased)`
    : `${report.due.length} household(s) due on ${report.today}, ${erased} erased, ${report.completed.length} interrupted erasure(s) completed`;
  return [...lines, summary].join('\n') + '\n';
};

/** `retention run [--dry-run] [--today YYYY-MM-DD]`: the daily job, on the configured stores. */
export function retentionCommands(program: Command, write: (text: string) => void): void {
  const retention = program.command('retention').description('retention of personal data (erases expired households)');
  retention
    .command('run')
    .description('erase the personal data of every household whose retention period ended')
    .option('--dry-run', 'list the households that are due, erase nothing')
    .option('--today <date>', 'the business date to judge by (YYYY-MM-DD; default today in Europe/Berlin)')
    .action(async (options: RetentionOptions) => {
      if (options.today !== undefined && !isCalendarDate(options.today)) throw new Error('--today must be a date YYYY-MM-DD');
      const settings = loadSettings();
      const events = openEventStore(settings);
      const keyStore = openKeyStore(settings);
      try {
        const now = new Date();
        const today = options.today ?? businessDateOf(now);
        const report = await runRetention(events, new PersonalDataKeys(keyStore), {
          now,
          today,
          periods: settings.retention,
          dryRun: options.dryRun === true,
        });
        write(formatRetention(report));
      } finally {
        await Promise.all([events.close(), keyStore.close()]);
      }
    });
}
