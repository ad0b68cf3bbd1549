import { LiveFacts, evaluate, type EvaluationAnswers, type EvaluationKind, type JobOf } from '@wih/application';
import { DisclosureRiskError } from '@wih/evaluation';
import { StoreUnavailableError, type EventStore } from '@wih/event-store';
import type { Settings } from '@wih/runtime';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EvaluationReply, EvaluationRequest } from './evaluation-worker';

/** The compiled worker; from the TypeScript sources (jest) there is none and evaluations run in-thread. */
export const EVALUATION_WORKER = join(__dirname, 'evaluation-worker.js');

/** Where an evaluation is computed: on an evaluation thread, or (no compiled worker) on the caller's. */
export interface Evaluator {
  evaluate<K extends EvaluationKind>(job: JobOf<K>): Promise<EvaluationAnswers[K]>;
  /** Starts what folds the facts before the first request needs them (the threads). */
  warmUp(): void;
  close(): Promise<void>;
}

/** The live facts on the calling thread, with the API's own event store (tests from the sources). */
export const inThreadEvaluator = (events: EventStore): Evaluator => {
  const live = new LiveFacts(events);
  return {
    evaluate: (job) => evaluate(events, job, live),
    // Not on the caller's thread: folding a long log there would hold its event loop.
    warmUp: () => undefined,
    close: async () => undefined,
  };
};

const STOP_TIMEOUT_MS = 5000;

/** A worker's error as the main thread's class: a store that did not answer stays a 503. */
const errorOf = ({ name, message }: { name: string; message: string }): Error =>
  name === 'StoreUnavailableError'
    ? new StoreUnavailableError(message)
    : name === 'DisclosureRiskError'
      ? Object.assign(new DisclosureRiskError([]), { message })
      : Object.assign(new Error(message), { name });

/** One evaluation thread: started on first use, one job at a time, started anew after it ended. */
class EvaluationThread {
  private worker?: Worker;
  private current?: { id: number; resolve: (answer: unknown) => void; reject: (error: Error) => void };
  private nextId = 1;

  constructor(
    private readonly settings: Settings,
    private readonly script: string,
  ) {}

  get idle(): boolean {
    return this.current === undefined;
  }

  /** Starts the thread, which folds the facts as it starts (evaluation-worker.ts). */
  warm(): void {
    this.worker ??= this.start();
  }

  run(job: JobOf<EvaluationKind>): Promise<unknown> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.current = { id, resolve, reject };
      worker.postMessage({ type: 'evaluate', id, job } satisfies EvaluationRequest);
    });
  }

  private start(): Worker {
    const worker = new Worker(this.script, { workerData: { settings: this.settings } });
    worker.on('message', (reply: EvaluationReply) => {
      const current = this.current;
      if (!current || reply.id !== current.id) return;
      this.current = undefined;
      if (reply.type === 'done') current.resolve(reply.answer);
      else current.reject(errorOf(reply.error));
    });
    // An error thrown in the thread ends it; unheard, the 'error' event would end the whole API.
    worker.on('error', (error) => {
      if (this.worker === worker) this.fail(error);
    });
    worker.once('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(new Error(`the evaluation thread ended with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: Error): void {
    const current = this.current;
    this.current = undefined;
    current?.reject(error);
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise((done) => worker.once('exit', done));
    const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    // A thread in the middle of a replay is ended at once: the API is stopping, its answer would reach nobody.
    if (this.current) {
      this.fail(new Error('the API is stopping'));
      void worker.terminate();
    } else worker.postMessage({ type: 'stop' } satisfies EvaluationRequest);
    await exited;
    clearTimeout(timeout);
  }
}

/**
 * `threads` evaluation threads, each with its own event-store connection. The caller (the gate)
 * runs at most `threads` evaluations at once, so an idle thread is always there.
 */
export function threadEvaluator(settings: Settings, script = EVALUATION_WORKER): Evaluator {
  const threads = Array.from({ length: settings.evaluation.threads }, () => new EvaluationThread(settings, script));
  return {
    evaluate: async <K extends EvaluationKind>(job: JobOf<K>) => {
      const thread = threads.find((t) => t.idle);
      if (!thread) throw new Error('no idle evaluation thread (more evaluations at once than threads)');
      return (await thread.run(job)) as EvaluationAnswers[K];
    },
    warmUp: () => threads.forEach((t) => t.warm()),
    close: async () => void (await Promise.all(threads.map((t) => t.stop()))),
  };
}

export const evaluationThreadAvailable = (script = EVALUATION_WORKER): boolean => existsSync(script);
