import { Command, InvalidArgumentError, Option } from 'commander';
import { JwtService } from '@nestjs/jwt';
import { ROLES } from '@wih/domain';
import { loadSettings } from '@wih/runtime';
import { HS256_MAX_LIFETIME_SECONDS } from '../auth/hs256.verifier';
import { conflictingRoles } from '../auth/roles';
import { resolveJwtSecret } from '../auth/secret';

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** `30m`, `8h`: seconds, from 1 s up to the API's longest accepted lifetime (12 h). */
export function parseLifetime(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS] : NaN;
  if (!(seconds >= 1 && seconds <= HS256_MAX_LIFETIME_SECONDS)) {
    throw new InvalidArgumentError(
      `--expires-in must be like 30m or 8h, at most ${HS256_MAX_LIFETIME_SECONDS / 3600}h (the API refuses longer tokens)`,
    );
  }
  return seconds;
}

/** Mints a development token (HS256, the embedded default's secret): `npm run token -- --role caseworker --sub anna`. */
const program = new Command('token')
  .description('mint a development bearer token for the embedded default')
  .addOption(new Option('--role <role...>', 'role(s) of the user').choices(ROLES).makeOptionMandatory())
  .requiredOption('--sub <userId>', 'user id (the token subject)')
  .option('--name <name>', 'display name')
  .option('--expires-in <duration>', 'lifetime, e.g. 8h, 30m; at most 12h', parseLifetime, 8 * 3600)
  .action((opts: { role: string[]; sub: string; name?: string; expiresIn: number }) => {
    const settings = loadSettings({ ...process.env, NODE_ENV: process.env.NODE_ENV });
    if (settings.oidc) {
      program.error(
        `the API accepts only tokens of ${settings.oidc.issuer} when AUTH_OIDC_ISSUER is set: get a token there (docs/operations.md)`,
      );
    }
    if (conflictingRoles(opts.role))
      program.error('--role admin cannot be combined with caseworker or fachstelle: the API refuses such tokens (separation of duties)');
    const { secret } = resolveJwtSecret(settings.dataDir, settings.jwtSecret);
    const token = new JwtService({ secret }).sign(
      { sub: opts.sub, name: opts.name ?? opts.sub, roles: opts.role },
      { algorithm: 'HS256', expiresIn: opts.expiresIn },
    );
    process.stdout.write(`${token}\n`);
  });

program.parse();
