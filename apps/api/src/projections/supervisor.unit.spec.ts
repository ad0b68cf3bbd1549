import { Supervisor, type Supervised } from './supervisor';

/** A fake thread: `end(code)` makes it end by itself; `stopped` says whether it was stopped. */
class FakeRun implements Supervised {
  stopped = false;
  constructor(readonly end: (code: number) => void) {}
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

function harness(failures: string[] = []) {
  let clock = 0;
  const timers: { run: () => void; at: number; cancelled: boolean }[] = [];
  const runs: FakeRun[] = [];
  const restarts: [string, number][] = [];
  const supervisor = new Supervisor<FakeRun>({
    start: async (ended) => {
      const failure = failures.shift();
      if (failure) throw new Error(failure);
      const run = new FakeRun(ended);
      runs.push(run);
      return run;
    },
    onRestart: (reason, delay) => restarts.push([reason, delay]),
    firstDelayMs: 1_000,
    maxDelayMs: 4_000,
    healthyAfterMs: 60_000,
    now: () => clock,
    schedule: (run, ms) => {
      const timer = { run, at: clock + ms, cancelled: false };
      timers.push(timer);
      return { cancel: () => (timer.cancelled = true) };
    },
  });
  /** Moves the clock and runs the timers that are due, then lets their promises settle. */
  const advance = async (ms: number) => {
    clock += ms;
    for (const timer of timers.filter((t) => !t.cancelled && t.at <= clock)) {
      timer.cancelled = true;
      timer.run();
    }
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { supervisor, runs, restarts, advance, pendingTimers: () => timers.filter((t) => !t.cancelled).length };
}

describe('Supervisor: keeps the projection thread running', () => {
  it('starts it again after it ended by itself, once the pause has passed', async () => {
    const { supervisor, runs, restarts, advance } = harness();
    await supervisor.begin();
    runs[0].end(1);
    expect(supervisor.running).toBeNull();
    expect(restarts).toEqual([['ended with code 1', 1_000]]);
    await advance(999);
    expect(runs).toHaveLength(1);
    await advance(1);
    expect(runs).toHaveLength(2);
    expect(supervisor.running).toBe(runs[1]);
  });

  it('doubles the pause while it keeps failing, up to the limit, and starts again from the first pause after a healthy run', async () => {
    const { supervisor, runs, restarts, advance } = harness(['', '', 'no store']);
    await supervisor.begin();
    runs[0].end(1); // pause 1 s
    await advance(1_000);
    runs[1].end(1); // pause 2 s
    await advance(2_000); // this start fails: pause 4 s
    await advance(4_000);
    runs[2].end(1); // ran 0 s: pause 4 s (the limit)
    await advance(4_000);
    await advance(60_000); // runs[3] has been up a minute
    runs[3].end(1);
    expect(restarts.map(([reason, delay]) => [reason.replace(/code \d+/, 'code'), delay])).toEqual([
      ['ended with code', 1_000],
      ['ended with code', 2_000],
      ['failed to start: no store', 4_000],
      ['ended with code', 4_000],
      ['ended with code', 1_000],
    ]);
  });

  it('starts nothing after stop: neither a pending restart nor one that ends during the stop', async () => {
    const { supervisor, runs, advance, pendingTimers } = harness();
    await supervisor.begin();
    runs[0].end(1);
    expect(pendingTimers()).toBe(1);
    await supervisor.stop();
    await advance(10_000);
    expect(runs).toHaveLength(1);

    const second = harness();
    await second.supervisor.begin();
    await second.supervisor.stop();
    expect(second.runs[0].stopped).toBe(true);
    second.runs[0].end(0); // the thread's own exit after being stopped
    await second.advance(10_000);
    expect(second.runs).toHaveLength(1);
  });

  it('throws when the first start fails, so the process says so at once', async () => {
    const { supervisor } = harness(['cannot open the read store']);
    await expect(supervisor.begin()).rejects.toThrow('cannot open the read store');
  });
});
