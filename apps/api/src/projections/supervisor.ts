/**
 * Keeps one long-running thing running: when it ends unexpectedly (or fails to start), it is
 * started again after a pause that doubles up to a limit, and goes back to the first pause once a
 * run has lasted a while. `stop()` ends the supervision: nothing starts after it.
 */
export interface Supervised {
  stop(): Promise<void>;
}

export interface SupervisorOptions<T extends Supervised> {
  /** Starts the thing; `ended(code)` must be called when it ends by itself. */
  start(ended: (code: number) => void): Promise<T>;
  /** Told about every unexpected end and failed start, with the pause before the next start. */
  onRestart(reason: string, delayMs: number): void;
  readonly firstDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A run this long resets the pause to the first one. */
  readonly healthyAfterMs?: number;
  readonly now?: () => number;
  readonly schedule?: (run: () => void, ms: number) => { cancel(): void };
}

export class Supervisor<T extends Supervised> {
  private current: T | null = null;
  private stopped = false;
  private delay: number;
  private pending: { cancel(): void } | null = null;
  private startedAt = 0;

  constructor(private readonly options: SupervisorOptions<T>) {
    this.delay = options.firstDelayMs ?? 1_000;
  }

  get running(): T | null {
    return this.current;
  }

  /** The first start; its failure is thrown (a process that cannot start its projections should say so). */
  async begin(): Promise<void> {
    this.current = await this.launch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pending?.cancel();
    this.pending = null;
    const current = this.current;
    this.current = null;
    await current?.stop();
  }

  private launch(): Promise<T> {
    this.startedAt = this.now();
    return this.options.start((code) => this.ended(code));
  }

  private ended(code: number): void {
    this.current = null;
    if (this.stopped) return;
    this.retry(`ended with code ${code}`);
  }

  private retry(reason: string): void {
    const { firstDelayMs = 1_000, maxDelayMs = 60_000, healthyAfterMs = 60_000 } = this.options;
    if (this.now() - this.startedAt >= healthyAfterMs) this.delay = firstDelayMs;
    const delay = this.delay;
    this.delay = Math.min(maxDelayMs, delay * 2);
    this.options.onRestart(reason, delay);
    this.pending = this.schedule(() => {
      this.pending = null;
      if (this.stopped) return;
      this.launch().then(
        (started) => (this.stopped ? void started.stop() : (this.current = started)),
        (error: unknown) => this.retry(`failed to start: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, delay);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private schedule(run: () => void, ms: number): { cancel(): void } {
    if (this.options.schedule) return this.options.schedule(run, ms);
    const timer = setTimeout(run, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }
}
