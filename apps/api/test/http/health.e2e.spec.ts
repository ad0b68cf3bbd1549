import { defaultManagerSettings, ProjectionManager } from '@wih/application';
import { PROJECTIONS, type Projection } from '@wih/projections';
import { openEventStore, openReadStore, loadSettings } from '@wih/runtime';
import { ProjectionsService } from '../../src/projections/projections.service';
import { TestApi } from './harness';
import { checkAnswersAgainstDocument } from './contract';

/** API.md: `GET /health` is 200 when the stores answer, 503 otherwise; a read side nobody runs is down too. */
describe('GET /health and the read side', () => {
  it('answers 503 naming the projection that stopped, and 200 again once it runs', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start());
    try {
      const ok = await api.request('GET', '/health');
      expect(ok.status).toBe(200);
      expect(ok.body.info.projections).toEqual({ status: 'up' });

      const cases = api.app.get(ProjectionsService).get('cases') as ProjectionManager;
      await cases.stop();
      const down = await api.request('GET', '/health');
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        status: 'error',
        error: { projections: { status: 'down', cases: 'stopped' } },
        info: { eventStore: { status: 'up' } },
      });
      expect(down.body.error.projections).not.toHaveProperty('timeline');

      await cases.start();
      expect((await api.request('GET', '/health')).status).toBe(200);
    } finally {
      await api.stop();
    }
  });

  it('with RUN_PROJECTIONS=false: 503 while no projector runs, 200 while one does in another process, 503 once it stopped', async () => {
    const api = checkAnswersAgainstDocument(await TestApi.start(undefined, { RUN_PROJECTIONS: 'false' }));
    // A projector of its own: its own store connections, as apps/projector opens them.
    const settings = loadSettings({ DATA_DIR: api.dataDir });
    const [events, reads] = [openEventStore(settings), openReadStore(settings)];
    const projector = PROJECTIONS.map(
      (p) => new ProjectionManager(p as Projection<unknown>, events, reads, defaultManagerSettings('projector')),
    );
    try {
      const none = await api.request('GET', '/health');
      expect(none.status).toBe(503);
      expect(none.body.error.projections).toEqual({ status: 'down', cases: 'stopped', timeline: 'stopped', activities: 'stopped' });

      for (const manager of projector) await manager.start();
      const running = await api.request('GET', '/health');
      expect(running.status).toBe(200);
      expect(running.body.info.projections).toEqual({ status: 'up' });

      for (const manager of projector) await manager.stop();
      expect((await api.request('GET', '/health')).status).toBe(503);
    } finally {
      for (const manager of projector) await manager.stop();
      await Promise.all([events.close(), reads.close()]);
      await api.stop();
    }
  });
});
