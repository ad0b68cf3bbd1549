import type { CommitSignal } from '../port';

export interface Wakeup {
  /** Resolves on the first of: a commit on any of the signals, the timeout, abort. Never rejects. */
  readonly promise: Promise<void>;
  /** Releases the timer and listeners when the wakeup is no longer needed. */
  cancel(): void;
}

/**
 * Armed BEFORE the read it guards, so a commit between that read and the wait is not lost (it
 * would otherwise cost the whole timeout). The timeout is the safety net of a store that cannot
 * signal, or the deadline of the wait.
 */
export const armWakeup = (signals: readonly CommitSignal[], timeoutMs: number, abort?: AbortSignal): Wakeup => {
  let cancel = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    const wake = (): void => {
      cancel();
      resolve();
    };
    const timer = setTimeout(wake, timeoutMs);
    const stops = signals.map((signal) => signal.listen(wake));
    abort?.addEventListener('abort', wake, { once: true });
    cancel = () => {
      clearTimeout(timer);
      for (const stop of stops) stop();
      abort?.removeEventListener('abort', wake);
    };
  });
  return { promise, cancel };
};
