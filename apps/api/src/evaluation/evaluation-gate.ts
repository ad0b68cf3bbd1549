/** Every thread busy and the queue full: answered 503 `evaluation-busy` with `Retry-After`. */
export class EvaluationBusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('every evaluation thread is busy and the queue is full; retry later');
    this.name = 'EvaluationBusyError';
  }
}

/** Without a finished evaluation to go by, a client is asked to come back after this long. */
const FIRST_RETRY_SECONDS = 5;
const MAX_RETRY_SECONDS = 120;

/**
 * At most `threads` evaluations at once and `queue` more waiting, in arrival order; one more is
 * refused at once rather than held: a replay of a long log takes seconds, and every extra one in
 * parallel would only share the same cores with the requests of everybody else.
 */
export class EvaluationGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The duration of the last finished evaluation, for Retry-After. */
  private lastMs?: number;

  constructor(
    private readonly threads: number,
    private readonly queue: number,
    private readonly now: () => number = Date.now,
  ) {}

  get load(): { readonly running: number; readonly waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.threads) {
      if (this.waiting.length >= this.queue) throw new EvaluationBusyError(this.retryAfterSeconds());
      // The slot is handed over by the evaluation that finishes (release), so `running` stays counted.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    const started = this.now();
    try {
      return await task();
    } finally {
      this.lastMs = this.now() - started;
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** About when the queue will have moved up by one place for a new request: the rounds ahead of it, each as long as the last evaluation. */
  private retryAfterSeconds(): number {
    if (this.lastMs === undefined) return FIRST_RETRY_SECONDS;
    const rounds = Math.ceil((this.waiting.length + 1) / this.threads);
    return Math.min(MAX_RETRY_SECONDS, Math.max(1, Math.ceil((rounds * this.lastMs) / 1000)));
  }
}
