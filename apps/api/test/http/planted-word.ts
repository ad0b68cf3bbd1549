import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A name planted to be looked for, piece by piece, in the raw files of DATA_DIR. Each of its 3- and
 * 4-character pieces holds a letter outside ASCII: key material in base64 cannot contain one, and
 * random ciphertext matches one by chance less than once in 4·10⁹ bytes. (An all-ASCII piece of
 * three bytes once matched the generated key-encryption key by chance.)
 */
export const PLANTED_WORD = 'Qöwäxüzßjö';

/** Every 3- and 4-character piece of a word, as stored and lowercased (the search text, whose index keeps trigrams). */
export const piecesOf = (word: string): string[] => [
  ...new Set(
    [word, word.toLowerCase()].flatMap((w) =>
      [3, 4].flatMap((length) => Array.from({ length: w.length - length + 1 }, (_, i) => w.slice(i, i + length))),
    ),
  ),
];

/** `file: piece` for every piece of `word` found in a file of `dir` that `include` accepts. */
export const piecesLeftIn = (dir: string, word: string, include: (file: string) => boolean = () => true): string[] =>
  readdirSync(dir)
    .filter((file) => include(file) && statSync(join(dir, file)).isFile())
    .flatMap((file) => {
      const bytes = readFileSync(join(dir, file));
      return piecesOf(word)
        .filter((piece) => bytes.includes(Buffer.from(piece, 'utf8')))
        .map((piece) => `${file}: ${piece}`);
    });
