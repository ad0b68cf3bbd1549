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
  /**
   * What the household's own stream says, for a command on one of its existing cases: read by the
   * application on each attempt (a case stream does not know its household's other cases).
   */
  readonly household?: HouseholdStanding;
}

export interface HouseholdStanding {
  /** The household's latest case (its last reservation): a closed case gets corrections only while it is this one. */
  readonly latestCaseId: string | null;
}

export const ROLES = ['caseworker', 'fachstelle', 'evaluator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
