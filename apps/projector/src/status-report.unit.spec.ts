import type { ProjectionStatus } from '@wih/application';
import { reportStatusEvery } from './status-report';

const status = (name: string): ProjectionStatus => ({
  name,
  status: 'running',
  generation: 1,
  checkpoint: '1',
  head: '1',
  lag: '0',
  parked: 0,
  lastError: null,
});

describe("the projector's status report", () => {
  it('logs a store that fails during a report and reports again next time, without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let calls = 0;
    const manager = {
      status: async () => {
        if (++calls === 1) throw new Error('read store busy');
        return status('cases');
      },
    };
    const infos: unknown[] = [];
    const errors: { fields: object; message: string }[] = [];
    const stop = reportStatusEvery(5, [manager, { status: async () => status('timeline') }], {
      info: (fields) => infos.push(fields),
      error: (fields, message) => errors.push({ fields, message }),
    });
    try {
      const deadline = Date.now() + 5_000;
      while (infos.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      // The failed report's unhandled rejection (if any) is emitted once the microtasks ran.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      stop();
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(errors).toEqual([{ fields: { error: 'read store busy' }, message: 'projection status report failed' }]);
    expect(infos.map((fields) => (fields as ProjectionStatus).name).slice(0, 2)).toEqual(['timeline', 'cases']);
  });
});
