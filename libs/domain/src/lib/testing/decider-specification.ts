import type { Decider } from '../decider';
import { DomainError, type DomainErrorKind } from '../errors';

/**
 * Given/when/then for deciders, after emmett's DeciderSpecification:
 * `spec(decider).given(events).when(command).then(expectedEvents)` or `.thenThrows(kind, code)`.
 * The history is folded with `evolve` from `initialState()`; the command is frozen, so a decider
 * that mutates its input fails. Test-only: not exported from the package.
 */
const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
};

export const spec = <State, Command, Event>(decider: Decider<State, Command, Event>) => ({
  given: (history: readonly Event[]) => ({
    when: (command: Command) => {
      const decide = (): Event[] => {
        const state = history.reduce((s: State, e: Event) => decider.evolve(s, e), decider.initialState());
        return decider.decide(deepFreeze(structuredClone(command)), state);
      };
      return {
        /** The decision produces exactly these events (deep, strict equality: no extra or undefined keys). */
        then(expected: readonly Event[]): Event[] {
          const produced = decide();
          expect(produced).toStrictEqual(expected);
          return produced;
        },
        /** The decision is refused with a DomainError of this kind and code, and produces no events. */
        thenThrows(kind: DomainErrorKind, code: string, message?: string | RegExp): DomainError {
          let produced: Event[];
          try {
            produced = decide();
          } catch (error) {
            if (!(error instanceof DomainError)) throw new Error(`expected DomainError ${kind}/${code}, got ${String(error)}`);
            expect({ kind: error.kind, code: error.code }).toEqual({ kind, code });
            if (message !== undefined) expect(error.message).toMatch(message);
            return error;
          }
          throw new Error(`expected DomainError ${kind}/${code}, but the command produced ${JSON.stringify(produced)}`);
        },
      };
    },
  }),
});
