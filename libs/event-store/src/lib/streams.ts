/** Stream names are built here and only here: `<category>-<id>`. */
export const streamName = (category: string, id: string): string => `${category}-${id}`;

export const categoryOf = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
};

export const idOf = (stream: string): string => {
  const dash = stream.indexOf('-');
  return dash < 0 ? '' : stream.slice(dash + 1);
};

/**
 * The part (0 … count − 1) a stream belongs to when a reader splits the log: the code point of the
 * name's last character modulo `count`. Stream ids end in a random character (UUIDs), so parts are
 * about equal, and SQLite computes the same value in SQL: `unicode(substr(stream, -1)) % count`.
 */
export const partitionOf = (stream: string, count: number): number => (stream.codePointAt(stream.length - 1) ?? 0) % count;
