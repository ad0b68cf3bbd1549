import { useCallback, useEffect, useRef, useState } from 'react';
import { call, request, type Answer, type Init, type PathsWith } from './client';
import { ApiError } from './problem';

/** A read that waits for a position the projection has not reached yet (503 projection-lagging) is asked again. */
const LAGGING_RETRIES = 5;
const isLagging = (error: unknown) => error instanceof ApiError && error.status === 503 && error.code === 'projection-lagging';
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** A read (GET, or the POST of a query with criteria in its body) with a few more tries while the read model catches up with the caller's own write. */
async function readAfterWrite<M extends 'get' | 'post', P extends PathsWith<M>>(
  method: M,
  route: P,
  init: Init<M, P>,
  signal: AbortSignal,
): Promise<Answer<M, P>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(method, route, { ...init, signal });
    } catch (error) {
      if (!isLagging(error) || attempt >= LAGGING_RETRIES || signal.aborted) throw error;
      await pause(500 * (attempt + 1), signal);
    }
  }
}

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Read `route` with `init` (null: nothing yet) and keep the answer; another init or reload()
 * fetches again. `post` is for a query whose criteria must stay out of the URL (the caseload
 * search). While the answer for the current request has not arrived, `loading` is true from the
 * first render on (not one effect later), so nothing flashes as "done" with the previous answer.
 */
export function useApiQuery<M extends 'get' | 'post', P extends PathsWith<M>>(
  method: M,
  route: P,
  init: Init<M, P> | null,
): QueryState<Answer<M, P>> {
  type T = Answer<M, P>;
  const key = init === null ? null : `${method} ${route} ${JSON.stringify(init)}`;
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean; key: string | null; tick: number }>({
    data: undefined,
    error: undefined,
    loading: key !== null,
    key,
    tick: 0,
  });
  const [tick, setTick] = useState(0);
  const current = useRef({ method, route, init });
  current.current = { method, route, init };
  useEffect(() => {
    const { method: m, route: r, init: options } = current.current;
    if (key === null || options === null) return;
    const abort = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined, key, tick }));
    readAfterWrite(m, r, options, abort.signal).then(
      (data) => setState({ data, error: undefined, loading: false, key, tick }),
      (error: unknown) => {
        if (!abort.signal.aborted) setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => abort.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const stale = key !== null && (state.key !== key || state.tick !== tick);
  return { data: state.data, error: state.error, loading: state.loading || stale, reload };
}

const newKey = () =>
  globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/**
 * The Idempotency-Key of one form submission: the same request sent again (double click, retry
 * after a lost answer) keeps its key, so the API records it once; changed input gets a new key,
 * and a success starts afresh.
 */
export function useIdempotencyKey(): { keyFor: (path: string, body: unknown) => string; done: () => void } {
  const current = useRef<{ fingerprint: string; key: string } | null>(null);
  const keyFor = useCallback((path: string, body: unknown) => {
    const fingerprint = `${path} ${JSON.stringify(body)}`;
    if (current.current?.fingerprint !== fingerprint) current.current = { fingerprint, key: newKey() };
    return current.current.key;
  }, []);
  const done = useCallback(() => {
    current.current = null;
  }, []);
  return { keyFor, done };
}

/**
 * A form's answer to 412 (the case changed meanwhile): the case's current revision, after the
 * page's queries of it were reloaded so that the person sees what changed; undefined when it
 * cannot be read. The form keeps its input and continues from that revision.
 */
export function useReloadOnStale(
  caseId: string | null | undefined,
  ...queries: { reload: () => void }[]
): () => Promise<number | undefined> {
  const latest = useRef(queries);
  latest.current = queries;
  return useCallback(async () => {
    if (!caseId) return undefined;
    try {
      const current = await request('get', '/api/cases/{id}', { path: { id: caseId } });
      latest.current.forEach((query) => query.reload());
      return current.revision;
    } catch {
      return undefined;
    }
  }, [caseId]);
}
