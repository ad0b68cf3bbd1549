import type { EventEmitter } from 'node:events';

export interface Wakeup {
  /** Resolves on the first of: `event` on the emitter, the poll timeout, abort. Never rejects. */
  readonly promise: Promise<void>;
  /** Releases the timer and listeners when the wakeup is no longer needed. */
  cancel(): void;
}

/**
 * Armed BEFORE the read it guards, so a notification fired between that read and the wait is not
 * lost (it would otherwise cost a full poll interval).
 */
export const armWakeup = (emitter: EventEmitter, event: string, pollMs: number, signal?: AbortSignal): Wakeup => {
  let cancel = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    const wake = (): void => {
      cancel();
      resolve();
    };
    const timer = setTimeout(wake, pollMs);
    emitter.once(event, wake);
    signal?.addEventListener('abort', wake, { once: true });
    cancel = () => {
      clearTimeout(timer);
      emitter.off(event, wake);
      signal?.removeEventListener('abort', wake);
    };
  });
  return { promise, cancel };
};
