import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
}

export async function signingKey(kid: string, alg: SigningKey['alg'] = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicKey };
}

/**
 * A real OIDC issuer as far as token verification goes: discovery document and JWKS over HTTP
 * (node:http on a free port). Tests switch its published keys (rotation), count its JWKS fetches
 * and make it fail.
 */
export class TestIssuer {
  published: SigningKey[] = [];
  jwksFetches = 0;
  discoveryFetches = 0;
  /** Answer discovery with this status instead of the document. */
  discoveryStatus = 200;
  /** The `issuer` the discovery document names (default: the real one). */
  advertisedIssuer?: string;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TestIssuer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new TestIssuer(server, `http://127.0.0.1:${port}/realms/test`);
    server.on('request', (req, res) => void issuer.answer(req.url ?? '', res));
    return issuer;
  }

  get discoveryUrl(): string {
    return `${this.url}/.well-known/openid-configuration`;
  }

  /** A signed access token of this issuer (1 hour, `sub` given) with the claims and header overrides given (`typ`: the header's). */
  async token(
    key: SigningKey,
    claims: JWTPayload = {},
    options: { issuer?: string; expiresAt?: number; notBefore?: number; typ?: string } = {},
  ): Promise<string> {
    const jwt = new SignJWT({ sub: 'user-1', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: options.typ ?? 'JWT' })
      .setIssuer(options.issuer ?? this.url)
      .setIssuedAt()
      .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 3600);
    if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
    return jwt.sign(key.privateKey);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(path: string, res: import('node:http').ServerResponse): Promise<void> {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/realms/test/.well-known/openid-configuration') {
      this.discoveryFetches += 1;
      if (this.discoveryStatus !== 200) return json(this.discoveryStatus, { error: 'unavailable' });
      return json(200, { issuer: this.advertisedIssuer ?? this.url, jwks_uri: `${this.url}/protocol/openid-connect/certs` });
    }
    if (path === '/realms/test/protocol/openid-connect/certs') {
      this.jwksFetches += 1;
      const keys = await Promise.all(
        this.published.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: k.alg, use: 'sig' })),
      );
      return json(200, { keys });
    }
    json(404, { error: 'not found' });
  }
}
