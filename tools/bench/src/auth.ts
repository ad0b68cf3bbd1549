import { JwtService } from '@nestjs/jwt';
import { Command } from 'commander';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, verify as rawVerify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describeMachine, loadAverage, machineLine } from './machine';

interface AuthOptions {
  iterations: number;
  rounds: number;
  out: string;
}
interface Row {
  name: string;
  kind: 'baseline' | 'measured' | 'info';
  alg: 'HS256' | 'RS256';
  microseconds: number;
  ratio: number;
}

/** Median µs per call of `verify` over `rounds` rounds of `iterations` sequential calls. */
async function time(iterations: number, rounds: number, verify: () => unknown): Promise<number> {
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const started = performance.now();
    for (let i = 0; i < iterations; i += 1) await verify();
    perRound.push(((performance.now() - started) * 1000) / iterations);
  }
  return perRound.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

/** The least any HS256 verification does: HMAC over the signing input, constant-time compare, parse the payload. */
function rawHs256(token: string, secret: Buffer): unknown {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'base64url'))) throw new Error('bad signature');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

async function run(options: AuthOptions): Promise<void> {
  const machine = describeMachine();
  const loadBefore = loadAverage();
  const secret = randomBytes(32).toString('base64url');
  const secretBytes = Buffer.from(secret, 'utf8');
  const claims = { sub: 'anna', name: 'anna', roles: ['caseworker'] };
  const hs = new JwtService({ secret }).sign(claims, { algorithm: 'HS256', expiresIn: 3600 });
  const jwt = new JwtService({ secret });
  const keyObject = createSecretKey(secretBytes);
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const rs = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer('https://issuer.example')
    .setExpirationTime('1h')
    .sign(privateKey);
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
  const [rsHeader, rsPayload, rsSignature] = rs.split('.');

  const { iterations: n, rounds } = options;
  const hsBase = await time(n, rounds, () => rawHs256(hs, secretBytes));
  const rsBase = await time(n / 10, rounds, () =>
    rawVerify('RSA-SHA256', Buffer.from(`${rsHeader}.${rsPayload}`), publicKey as never, Buffer.from(rsSignature, 'base64url')),
  );
  const rows: Row[] = [
    { name: 'raw HMAC-SHA256 + compare + JSON.parse', kind: 'baseline', alg: 'HS256', microseconds: hsBase, ratio: 1 },
    {
      name: '@nestjs/jwt verifyAsync (string secret; the previous guard)',
      kind: 'measured',
      alg: 'HS256',
      microseconds: await time(n, rounds, () => jwt.verifyAsync(hs, { algorithms: ['HS256'] })),
      ratio: 0,
    },
    {
      name: 'jose jwtVerify, secret bytes per request',
      kind: 'info',
      alg: 'HS256',
      microseconds: await time(n, rounds, () => jwtVerify(hs, new TextEncoder().encode(secret), { algorithms: ['HS256'] })),
      ratio: 0,
    },
    {
      name: 'jose jwtVerify, KeyObject built once (Hs256Verifier)',
      kind: 'measured',
      alg: 'HS256',
      microseconds: await time(n, rounds, () => jwtVerify(hs, keyObject, { algorithms: ['HS256'] })),
      ratio: 0,
    },
    { name: 'raw RSA-SHA256 verify (RS256 baseline)', kind: 'baseline', alg: 'RS256', microseconds: rsBase, ratio: 1 },
    {
      name: 'jose jwtVerify RS256, cached key set (OidcVerifier)',
      kind: 'measured',
      alg: 'RS256',
      microseconds: await time(n / 10, rounds, () => jwtVerify(rs, jwks, { algorithms: ['RS256'], issuer: 'https://issuer.example' })),
      ratio: 0,
    },
  ];
  for (const row of rows) row.ratio = row.microseconds / (row.alg === 'RS256' ? rsBase : hsBase);
  const result = { benchmark: 'auth', machine, load: { before: loadBefore, after: loadAverage() }, options, rows };
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'bench-auth.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`machine: ${machineLine(machine)}; load ${result.load.before} → ${result.load.after}`);
  for (const row of rows)
    console.log(`${row.microseconds.toFixed(1).padStart(8)} µs  ${row.ratio.toFixed(2).padStart(6)}×  ${row.name} (${row.kind})`);
}

/** `npm run bench -- auth`: verifying one bearer token, per request, beside raw crypto in the same run. */
export const authCommand = () =>
  new Command('auth')
    .description('token verification per request (HS256 old and new, RS256 with cached keys) beside raw crypto')
    .option('--iterations <n>', 'HS256 verifications per round (RS256: a tenth)', (v) => Number(v), 20_000)
    .option('--rounds <n>', 'rounds; the median is reported', (v) => Number(v), 5)
    .option('--out <dir>', 'where bench-auth.json goes', 'tmp')
    .action((options: AuthOptions) => run(options));
