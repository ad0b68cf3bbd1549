/** The shape every aggregate follows (after emmett): pure, no I/O, the clock comes in with the command. */
export interface Decider<State, Command, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Who acts and when: passed in with every command so that decide stays pure. */
export interface CommandContext {
  readonly actor: { readonly userId: string; readonly role: Role };
  /** The business date "today" (Europe/Berlin), YYYY-MM-DD. */
  readonly today: string;
  /** The instant the command is decided, ISO 8601 UTC. */
  readonly now: string;
}

export const ROLES = ['caseworker', 'fachstelle', 'evaluator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
