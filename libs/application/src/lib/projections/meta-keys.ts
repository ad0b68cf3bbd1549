/**
 * The read store's `meta` key space, owned here and only here: every key the projections write is
 * built (and read back) by this module.
 *
 * - `parked/<collection>/<key>/<position>`: an event parked for a document (parking.ts)
 * - `parked-request/<collection>/<key>`: an admin's retry or skip request for that document
 * - `skipped/<collection>/<key>/<position>`: a parked event an admin skipped
 * - `active/<projection>`: the generation queries read (generations.ts)
 * - `rebuild/<projection>`: the rebuild record
 *
 * Positions are padded to 20 digits, so a prefix listing (ordered by key) is in log order. A
 * segment's `%` and `/` are escaped, so a document key holding `/` cannot reach into another
 * document's prefix; the names in use today (UUIDs, `cases@1`) hold neither and read as before.
 */
export type MetaKey =
  | { readonly kind: 'parked' | 'skipped'; readonly collection: string; readonly key: string; readonly position: string }
  | { readonly kind: 'parked-request'; readonly collection: string; readonly key: string }
  | { readonly kind: 'active' | 'rebuild'; readonly projection: string };

export type MetaKind = MetaKey['kind'];

const KINDS: readonly MetaKind[] = ['parked', 'parked-request', 'skipped', 'active', 'rebuild'];
const POSITION_DIGITS = 20;

const escape = (segment: string): string => segment.replace(/%/g, '%25').replace(/\//g, '%2F');
const unescape = (segment: string): string => segment.replace(/%2F/g, '/').replace(/%25/g, '%');
const pad = (position: string): string => position.padStart(POSITION_DIGITS, '0');
const unpad = (digits: string): string => digits.replace(/^0+(?=\d)/, '');
const join = (segments: readonly string[]): string => segments.map(escape).join('/');

export function metaKey(key: MetaKey): string {
  switch (key.kind) {
    case 'parked':
    case 'skipped':
      return `${key.kind}/${join([key.collection, key.key])}/${pad(key.position)}`;
    case 'parked-request':
      return `${key.kind}/${join([key.collection, key.key])}`;
    case 'active':
    case 'rebuild':
      return `${key.kind}/${escape(key.projection)}`;
  }
}

/**
 * The prefix that lists keys of one kind: every one, those of a collection, or (parked, skipped,
 * requests) those of one document. Ends in `/`, so `cases@1` does not list `cases@10`.
 */
export function metaPrefix(kind: MetaKind, collection?: string, key?: string): string {
  if (collection === undefined) return `${kind}/`;
  return `${kind}/${join(key === undefined ? [collection] : [collection, key])}/`;
}

/** A meta key read back; null for a key this module does not build. */
export function parseMetaKey(text: string): MetaKey | null {
  const [kind, ...segments] = text.split('/');
  if (!KINDS.includes(kind as MetaKind)) return null;
  const parts = segments.map(unescape);
  switch (kind as MetaKind) {
    case 'parked':
    case 'skipped': {
      const [collection, key, position] = parts;
      if (parts.length !== 3 || !/^\d+$/.test(position)) return null;
      return { kind: kind as 'parked' | 'skipped', collection, key, position: unpad(position) };
    }
    case 'parked-request':
      return parts.length === 2 ? { kind: 'parked-request', collection: parts[0], key: parts[1] } : null;
    case 'active':
    case 'rebuild':
      return parts.length === 1 ? { kind: kind as 'active' | 'rebuild', projection: parts[0] } : null;
  }
}
