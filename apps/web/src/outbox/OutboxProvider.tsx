import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { beforeSignOut } from '../auth/session';
import { outboxCommandOf, type OutboxDraft, type OutboxEntry } from './commands';
import { exclusively, flushOutbox, type FlushResult } from './send';
import { clearOutbox, Outbox } from './store';

export interface OutboxContextValue {
  /** The signed-in person's entries, in order (decrypted in memory only). */
  readonly entries: readonly OutboxEntry[];
  readonly waiting: number;
  readonly refused: number;
  readonly sending: boolean;
  /** The last send: how many the API recorded, and whether it stopped for want of a connection. */
  readonly last: { sent: number; refused: number; stopped: boolean } | null;
  /** Whether anything waits now (read at submission time: a new entry queues behind them). */
  hasWaiting(): boolean;
  enqueue(draft: Pick<OutboxDraft, 'path' | 'body' | 'expectedRevision' | 'idempotencyKey'>): Promise<OutboxEntry>;
  /** Sends what waits (in order); null when not signed in. */
  flush(): Promise<FlushResult | null>;
  discard(seq: number): Promise<void>;
}

const OutboxContext = createContext<OutboxContextValue | null>(null);

/**
 * The outbox of the signed-in user: opened at sign-in, sent at start, when the browser comes back
 * online and on "Jetzt senden"; cleared on sign-out (before the identity provider is told).
 */
export function OutboxProvider({ owner, children }: { owner: string | null; children: ReactNode }) {
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [sending, setSending] = useState(false);
  const [last, setLast] = useState<OutboxContextValue['last']>(null);
  // Null inside: this browser keeps no IndexedDB (or refuses it); then nothing can wait and forms say so.
  const outbox = useRef<Promise<Outbox | null> | null>(null);
  const waitingNow = useRef(0);

  const show = useCallback((list: OutboxEntry[]) => {
    waitingNow.current = list.filter((e) => e.state === 'waiting').length;
    setEntries(list);
  }, []);

  const flush = useCallback(async () => {
    const box = await outbox.current;
    if (!box) return null;
    setSending(true);
    try {
      const result = await exclusively(() => flushOutbox(box));
      setLast({ sent: result.sent.length, refused: result.refused.length, stopped: result.stoppedBy !== null });
      return result;
    } finally {
      show(await box.list());
      setSending(false);
    }
  }, [show]);

  useEffect(() => {
    if (!owner) {
      outbox.current = null;
      show([]);
      setLast(null);
      return;
    }
    const box = typeof indexedDB === 'undefined' ? Promise.resolve(null) : Outbox.open(owner).catch(() => null);
    outbox.current = box;
    let current = true;
    void box
      .then((b) => b?.list() ?? [])
      .then((list) => {
        if (!current) return;
        show(list);
        if (navigator.onLine && list.some((e) => e.state === 'waiting')) void flush();
      });
    const online = () => void flush();
    window.addEventListener('online', online);
    return () => {
      current = false;
      window.removeEventListener('online', online);
    };
  }, [owner, show, flush]);

  useEffect(
    () =>
      beforeSignOut(async () => {
        outbox.current = null;
        show([]);
        if (typeof indexedDB !== 'undefined') await clearOutbox();
      }),
    [show],
  );

  const enqueue = useCallback<OutboxContextValue['enqueue']>(
    async (draft) => {
      const box = await outbox.current;
      const command = outboxCommandOf(draft.path);
      if (!box || !command) throw new Error('no outbox for this command');
      const entry = await box.add({ ...draft, ...command, writtenAt: new Date().toISOString() });
      show(await box.list());
      return entry;
    },
    [show],
  );

  const discard = useCallback(
    async (seq: number) => {
      const box = await outbox.current;
      if (!box) return;
      await box.remove(seq);
      show(await box.list());
    },
    [show],
  );

  const value = useMemo<OutboxContextValue>(
    () => ({
      entries,
      waiting: entries.filter((e) => e.state === 'waiting').length,
      refused: entries.filter((e) => e.state === 'refused').length,
      sending,
      last,
      hasWaiting: () => waitingNow.current > 0,
      enqueue,
      flush,
      discard,
    }),
    [entries, sending, last, enqueue, flush, discard],
  );
  return <OutboxContext.Provider value={value}>{children}</OutboxContext.Provider>;
}

/** The outbox, or null outside its provider (then forms send as they always did). */
export const useOutbox = (): OutboxContextValue | null => useContext(OutboxContext);
