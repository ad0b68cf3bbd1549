import { Command, InvalidArgumentError, Option } from 'commander';
import { JwtService } from '@nestjs/jwt';
import { ROLES } from '@wih/domain';
import { loadSettings } from '@wih/runtime';
import { resolveJwtSecret } from '../auth/secret';

/** Mints a development token (HS256, the embedded default's secret): `npm run token -- --role caseworker --sub anna`. */
const program = new Command('token')
  .description('mint a development bearer token for the embedded default')
  .addOption(new Option('--role <role...>', 'role(s) of the user').choices(ROLES).makeOptionMandatory())
  .requiredOption('--sub <userId>', 'user id (the token subject)')
  .option('--name <name>', 'display name')
  .option('--expires-in <duration>', 'lifetime, e.g. 8h, 30m', '8h')
  .action((opts: { role: string[]; sub: string; name?: string; expiresIn: string }) => {
    const settings = loadSettings({ ...process.env, NODE_ENV: process.env.NODE_ENV });
    if (settings.oidc) {
      program.error(`the API accepts only tokens of ${settings.oidc.issuer} when AUTH_OIDC_ISSUER is set: get a token there (docs/operations.md)`);
    }
    if (!/^\d+[smhd]$/.test(opts.expiresIn)) throw new InvalidArgumentError('--expires-in must look like 30m or 8h');
    const { secret } = resolveJwtSecret(settings.dataDir, settings.jwtSecret);
    const token = new JwtService({ secret }).sign(
      { sub: opts.sub, name: opts.name ?? opts.sub, roles: opts.role },
      { algorithm: 'HS256', expiresIn: opts.expiresIn as `${number}h` },
    );
    process.stdout.write(`${token}\n`);
  });

program.parse();
