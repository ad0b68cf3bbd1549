import { Command } from 'commander';
import { accessLogCommand } from './access-log';
import { appendCommand } from './append';
import { authCommand } from './auth';
import { disclosureCommand } from './disclosure';
import { dropCommand } from './drop';
import { reportCommand } from './evaluation-report';
import { reportLoadCommand } from './report-load';
import { rebuildCommand } from './rebuild';
import { rebuildMongoCommand } from './rebuild-mongo';
import { readYourWritesCommand } from './read-your-writes';

/** `npm run bench -- <name> [options]`: one subcommand per benchmark. */
const program = new Command('bench')
  .description('benchmarks: each measures a raw baseline in the same run and reports ratios to it')
  .addCommand(appendCommand())
  .addCommand(rebuildCommand())
  .addCommand(rebuildMongoCommand())
  .addCommand(readYourWritesCommand())
  .addCommand(reportCommand())
  .addCommand(reportLoadCommand())
  .addCommand(disclosureCommand())
  .addCommand(authCommand())
  .addCommand(accessLogCommand())
  .addCommand(dropCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error);
  // exitCode, not exit(): the exit handlers still stop children and remove temp dirs.
  process.exitCode = 1;
});
