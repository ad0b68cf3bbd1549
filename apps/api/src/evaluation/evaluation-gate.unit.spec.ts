import { EvaluationBusyError, EvaluationGate } from './evaluation-gate';

/** A task that finishes when the test says so, recording when it started. */
function deferred(log: string[], name: string) {
  let finish: (value: string) => void = () => undefined;
  const done = new Promise<string>((resolve) => (finish = resolve));
  return { task: () => (log.push(`start ${name}`), done), finish: () => finish(name) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('EvaluationGate', () => {
  it('runs `threads` evaluations at once, queues `queue` more in arrival order, and refuses the next with a Retry-After', async () => {
    const log: string[] = [];
    const gate = new EvaluationGate(2, 1);
    const [a, b, c] = [deferred(log, 'a'), deferred(log, 'b'), deferred(log, 'c')];
    const answers = [gate.run(a.task), gate.run(b.task), gate.run(c.task)].map((p) => p.then((name) => log.push(`done ${name}`)));
    await settle();
    expect(log).toEqual(['start a', 'start b']);
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    const refused = await gate.run(async () => 'd').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EvaluationBusyError);
    expect((refused as EvaluationBusyError).retryAfterSeconds).toBe(5);

    b.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'start c', 'done b']);
    a.finish();
    c.finish();
    await Promise.all(answers);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot of an evaluation that failed', async () => {
    const gate = new EvaluationGate(1, 0);
    await expect(
      gate.run(async () => {
        throw new Error('store gone');
      }),
    ).rejects.toThrow('store gone');
    expect(await gate.run(async () => 'next')).toBe('next');
  });

  it('asks to retry after the rounds ahead, each as long as the last evaluation took', async () => {
    let clock = 0;
    const gate = new EvaluationGate(1, 2, () => clock);
    await gate.run(async () => {
      clock += 6_500;
    });
    const log: string[] = [];
    const [a, b, c] = [deferred(log, 'a'), deferred(log, 'b'), deferred(log, 'c')];
    const answers = [gate.run(a.task), gate.run(b.task), gate.run(c.task)];
    await settle();
    // one running, two waiting: the next request would be third in line
    await expect(gate.run(async () => 'd')).rejects.toMatchObject({ retryAfterSeconds: 20 });
    [a, b, c].forEach((d) => d.finish());
    await Promise.all(answers);
  });
});
