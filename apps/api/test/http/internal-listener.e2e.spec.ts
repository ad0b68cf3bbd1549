import { loadSettings } from '@wih/runtime';
import { InternalListener } from '../../src/app/internal-listener';
import { expectProblem, SECRET, TestApi, users } from './harness';

/** INTERNAL_PORT / INTERNAL_HOST (docs/operations.md): metrics and docs on a listener of their own. */
describe('the internal listener', () => {
  describe.each([
    ['an internal port', {}],
    ['production (NODE_ENV spelt "Production")', { NODE_ENV: 'Production', KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') }],
  ])('with %s', (_label, env: Record<string, string>) => {
    let api: TestApi;
    let internal: string;
    beforeAll(async () => {
      api = await TestApi.start(undefined, { INTERNAL_PORT: '0', ...env });
      const address = api.app.get(InternalListener).address;
      if (!address) throw new Error('no internal listener');
      expect(address.address).toBe('127.0.0.1');
      internal = `http://127.0.0.1:${address.port}`;
    });
    afterAll(() => api.stop());

    it('answers /metrics and the OpenAPI document and viewer on the main port as if they did not exist', async () => {
      for (const path of ['/metrics', '/api/openapi.json', '/api/openapi.yaml', '/api/docs', '/api/docs/']) {
        const answer = await api.request('GET', path);
        expect({ path, status: answer.status }).toEqual({ path, status: 404 });
        expectProblem(answer, 404, 'not-found');
      }
    });

    it('serves them on the internal port, with /health, and nothing of the API there', async () => {
      const metrics = await fetch(`${internal}/metrics`);
      expect({ status: metrics.status, text: (await metrics.text()).includes('# TYPE http_requests_total counter') }).toEqual({
        status: 200,
        text: true,
      });
      expect((await fetch(`${internal}/api/openapi.json`)).status).toBe(200);
      expect((await fetch(`${internal}/health`)).status).toBe(200);
      const caseload = await fetch(`${internal}/api/caseload`, { headers: { authorization: `Bearer ${users.fachstelle}` } });
      expect(caseload.status).toBe(404);
      expect(await caseload.text()).not.toContain('items');
    });

    it('keeps /health and the API on the main port', async () => {
      expect((await api.request('GET', '/health')).status).toBe(200);
      expect((await api.request('GET', '/api/caseload', { token: users.fachstelle })).status).toBe(200);
    });
  });

  it('is on by default in production only, on 127.0.0.1:9464; INTERNAL_HOST widens it', () => {
    const base = { AUTH_JWT_SECRET: SECRET, DATA_DIR: '.', KEY_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') };
    expect(loadSettings({ ...base, NODE_ENV: 'PRODUCTION' })).toMatchObject({
      production: true,
      internal: { port: 9464, host: '127.0.0.1' },
    });
    expect(loadSettings({ ...base, NODE_ENV: 'production', INTERNAL_HOST: '0.0.0.0' }).internal).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(loadSettings(base).internal).toBeUndefined();
    expect(loadSettings({ ...base, INTERNAL_PORT: '9100' }).internal).toEqual({ port: 9100, host: '127.0.0.1' });
    expect(() => loadSettings({ ...base, INTERNAL_PORT: 'abc' })).toThrow('INTERNAL_PORT must be a port number');
  });
});
