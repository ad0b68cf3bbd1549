import type { FoldedPartition, FoldProgress, PartitionedFold } from './partitioned';

/** One projection's share of a pass: its name and the head position its rebuild read at its start. */
export interface PassRequest {
  readonly projection: string;
  readonly upto: bigint;
}

/** A member's result: the parts folded, or why its fold failed (the others are not affected). */
export type PassOutcome = { readonly parts: readonly FoldedPartition[] } | { readonly error: string };

/**
 * Folds several projections of one category in one pass over the log, in `partitions` parts: one
 * reader per part decodes each event once and feeds every member's fold. Resolves one outcome per
 * request (in order); rejects when the pass itself fails (a thread died, a decoding error), which
 * fails every member. `onProgress(member, events)`: the events a part has read for a member.
 */
export type FoldPass = (
  requests: readonly PassRequest[],
  signal: AbortSignal,
  onProgress: (member: number, events: number) => void,
) => Promise<PassOutcome[]>;

export interface SharedPassOptions {
  readonly partitions: number;
  /** The category a projection reads: only members of one category share a reader. */
  readonly categoryOf: (projection: string) => string;
  /** Members that make a pass complete: it starts at once instead of after `gatherMs`. */
  readonly complete: (category: string, members: readonly string[]) => boolean;
  /**
   * How long a pass waits for more rebuilds to join (manager by manager, request by request)
   * before it starts with whoever came: small beside any rebuild's fold.
   */
  readonly gatherMs: number;
}

/** A pass's members fail with this: the runner logs it and folds alone. */
export class PassMemberError extends Error {
  override readonly name = 'PassMemberError';
}

interface Member {
  readonly request: PassRequest;
  readonly onProgress?: FoldProgress;
  /** Answers the runner once: its parts, or the error it falls back on. */
  readonly settle: (outcome: { readonly parts: FoldedPartition[] } | { readonly error: unknown }) => void;
  settled: boolean;
}

interface Pending {
  readonly category: string;
  readonly members: Member[];
  readonly start: () => void;
  readonly timer: ReturnType<typeof setTimeout>;
  /** Aborted when every member has left (each by its own signal): the reading stops. */
  readonly stop: AbortController;
  running: boolean;
}

const aborted = () => new PassMemberError('partitioned fold aborted');

/**
 * The partitioned fold of every rebuild in this process, as shared passes: a rebuild's fold joins
 * the pass of its category that has not started yet (or opens one), passes run one at a time (each
 * already takes every core), and each member gets back its own parts, its own failure or its own
 * abort. Everything after that (commit, checkpoint, indexes, switch-over) stays each runner's.
 */
export function sharedPass(foldPass: FoldPass, options: SharedPassOptions): PartitionedFold {
  const pending = new Map<string, Pending>();
  let queue: Promise<void> = Promise.resolve();

  const run = async (pass: Pending): Promise<void> => {
    if (pending.get(pass.category) === pass) pending.delete(pass.category);
    clearTimeout(pass.timer);
    pass.running = true;
    const members = pass.members.filter((m) => !m.settled);
    if (members.length === 0) return;
    try {
      const outcomes = await foldPass(
        members.map((m) => m.request),
        pass.stop.signal,
        (index, events) => {
          if (!members[index].settled) members[index].onProgress?.(events);
        },
      );
      members.forEach((member, i) => {
        const outcome = outcomes[i];
        member.settle('error' in outcome ? { error: new PassMemberError(outcome.error) } : { parts: [...outcome.parts] });
      });
    } catch (error) {
      for (const member of members) member.settle({ error });
    }
  };

  const open = (category: string): Pending => {
    let start!: () => void;
    const gathered = new Promise<void>((resolve) => (start = resolve));
    const pass: Pending = {
      category,
      members: [],
      start,
      timer: setTimeout(start, options.gatherMs),
      stop: new AbortController(),
      running: false,
    };
    pending.set(category, pass);
    // Still open while an earlier pass runs: whoever asks meanwhile joins it.
    queue = queue.then(() => gathered).then(() => run(pass));
    return pass;
  };

  const join = (pass: Pending, request: PassRequest, signal: AbortSignal, onProgress: FoldProgress | undefined) =>
    new Promise<FoldedPartition[]>((resolve, reject) => {
      // A member that stops is answered at once, waiting or running; the pass goes on for the others.
      const onAbort = () => {
        member.settle({ error: aborted() });
        if (pass.running && pass.members.every((m) => m.settled)) pass.stop.abort();
      };
      const member: Member = {
        request,
        onProgress,
        settled: false,
        settle: (outcome) => {
          if (member.settled) return;
          member.settled = true;
          signal.removeEventListener('abort', onAbort);
          if ('parts' in outcome) resolve(outcome.parts);
          else reject(outcome.error);
        },
      };
      pass.members.push(member);
      signal.addEventListener('abort', onAbort, { once: true });
    });

  return {
    partitions: options.partitions,
    fold: (projection, upto, signal, onProgress) => {
      if (signal.aborted) return Promise.reject(aborted());
      const category = options.categoryOf(projection);
      const pass = pending.get(category) ?? open(category);
      const joined = join(pass, { projection, upto }, signal, onProgress);
      const names = pass.members.filter((m) => !m.settled).map((m) => m.request.projection);
      if (options.complete(category, names)) pass.start();
      return joined;
    },
  };
}

/** A pass is complete when every projection of its category that folds in parts (`per-stream`) has joined. */
export const everyProjectionOf =
  (projections: readonly { readonly name: string; readonly category: string; readonly documents: string }[]) =>
  (category: string, members: readonly string[]): boolean =>
    projections.filter((p) => p.category === category && p.documents === 'per-stream').every((p) => members.includes(p.name));
