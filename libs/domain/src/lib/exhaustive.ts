/**
 * The `default` of a switch over an event union. The compiler proves it unreachable; at run time
 * it is reached only by a type this code does not know (a stored event written by newer code and
 * not refused by the decoder). Throwing keeps such an event from becoming the fold's state.
 */
export const unknownEvent = (event: never): never => {
  throw new TypeError(`unknown event type ${JSON.stringify((event as { readonly type?: unknown }).type)}`);
};

/** The `default` of a switch over a command union: a command this code does not know is refused, never returned as events. */
export const unknownCommand = (command: never): never => {
  throw new TypeError(`unknown command type ${JSON.stringify((command as { readonly type?: unknown }).type)}`);
};
