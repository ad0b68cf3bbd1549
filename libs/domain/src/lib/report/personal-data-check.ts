/**
 * The check of the report's text against the households' names and addresses (DOMAIN.md: a
 * caseworker's name slip must not reach the published report). Pure: the caller hands in every
 * readable household; the answer is the offending passages as they stand in the submitted text,
 * never the stored name or address, and never which household matched.
 *
 * What counts as naming a household (decision 0025), so that common words never block a text:
 * - its full name (all parts in order, e.g. "Anna Maria Yılmaz");
 * - its last name part next to another of its parts of at least two letters, either order
 *   ("Frau Yılmaz" does not count, "Anna Yılmaz" and "Yılmaz, Anna" do; "Familie Yılmaz" does when
 *   the household is recorded as "Familie Yılmaz");
 * - its street with the house number ("Venloer Straße 12", also "Venloer Str. 12", "12a").
 * A single word never counts: surnames such as Koch, Wagner or Becker are ordinary words, and a
 * single-word check would also make the answer an oracle for every surname.
 * Words are compared whole, in NFC, case-insensitively, with ä/ö/ü/ß also matching ae/oe/ue/ss and
 * other accents ignored (Jose/José), so decomposed input and transliterations match too.
 */

export interface HouseholdNameAndAddress {
  readonly name: string;
  readonly address: string;
}

interface Token {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

/** Letters (with their combining marks) or digits; everything else separates words. */
const WORD = /[\p{L}\p{M}]+|\p{N}+/gu;
/** Umlauts as Germans spell them without; the dotless ı (Turkish names) as i, which is what "YILMAZ" lowers to. */
const FOLDS: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'ss', ı: 'i' };
/** "Venloer Straße", "Venloerstraße" and "Venloer Str." all end in the same word. */
const STREET = /(strasse|str)$/;

/** One word in the compared form: NFC, lower case, umlauts spelled out, other marks dropped, street suffix shortened. */
export const comparableWord = (word: string): string =>
  word
    .normalize('NFC')
    .toLowerCase()
    .replace(/[äöüßẞı]/g, (c) => FOLDS[c])
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(STREET, 'str');

const tokens = (text: string): Token[] =>
  [...text.matchAll(WORD)].map((m) => ({ word: comparableWord(m[0]), start: m.index, end: m.index + m[0].length }));

/** Two words belong to one name or address when only spaces, a comma, a dot or a hyphen stand between them. */
const joined = (text: string, before: Token, after: Token): boolean => /^[\s,.\-'’]{1,3}$/u.test(text.slice(before.end, after.start));

const words = (text: string): string[] => tokens(text).map((t) => t.word);

/** The word sequences that name a household; each has at least two words. */
export const patternsOf = (household: HouseholdNameAndAddress): string[][] => {
  const patterns: string[][] = [];
  const name = words(household.name).filter((w) => !/^\p{N}+$/u.test(w));
  if (name.length >= 2) {
    patterns.push(name);
    const last = name[name.length - 1];
    for (const other of name.slice(0, -1)) {
      if (other.length < 2) continue;
      patterns.push([other, last], [last, other]);
    }
  }
  // The street is what stands before the first house number of the address's first part.
  const street = tokens(household.address.split(',')[0]);
  const number = street.findIndex((t) => /^\p{N}+$/u.test(t.word));
  if (number > 0) patterns.push([...street.slice(0, number).map((t) => t.word), street[number].word]);
  return patterns;
};

/**
 * The passages of `text` that name one of the households, as written there (in order of
 * appearance, each once). Empty when the text names none.
 */
export function personalDataIn(text: string, households: Iterable<HouseholdNameAndAddress>): string[] {
  const found = tokens(text);
  // Where each word stands in the text: a pattern is only walked from positions of its first word.
  const at = new Map<string, number[]>();
  found.forEach((t, i) => {
    const positions = at.get(t.word);
    if (positions) positions.push(i);
    else at.set(t.word, [i]);
  });
  const spans = new Map<number, number>();
  for (const household of households) {
    for (const pattern of patternsOf(household)) {
      for (const i of at.get(pattern[0]) ?? []) {
        if (pattern.every((w, k) => found[i + k]?.word === w && (k === 0 || joined(text, found[i + k - 1], found[i + k])))) {
          const end = found[i + pattern.length - 1].end;
          spans.set(found[i].start, Math.max(end, spans.get(found[i].start) ?? 0));
        }
      }
    }
  }
  // Overlapping matches ("Anna Maria Müller" holds "Maria Müller") are one passage.
  const merged: [number, number][] = [];
  for (const [start, end] of [...spans.entries()].sort(([a], [b]) => a - b)) {
    const last = merged[merged.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return [...new Set(merged.map(([start, end]) => text.slice(start, end)))];
}
