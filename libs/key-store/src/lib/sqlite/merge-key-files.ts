import Database from 'better-sqlite3';
import { kekIdOfStoredForm } from '../wrapping';

export interface KeyFileMerge {
  /** Keys active in the restored file that the other file holds as destroyed: destroyed now. */
  readonly destroyed: number;
  /** Records (keys or tombstones) the other file has and the restored one lacked: copied as stored. */
  readonly added: number;
}

/**
 * After a restore: brings a restored key file (`target`) up to what a newer key file (`from`, the
 * one in use before the restore) knows, without ever resurrecting a destroyed key. Every key the
 * newer file holds as destroyed is destroyed in the target (an erasure after the backup); every
 * record the target lacks is copied, still wrapped (a generation created after the backup, e.g. a
 * household that came back after its erasure). Keys of the target that the newer file lacks stay.
 * One transaction; refused as a whole when the result would hold keys under two key-encryption keys
 * (a rotation between the backup and now: rewrap the newer file's keys first, or restore without it).
 */
export function mergeKeyFile(target: string, from: string): KeyFileMerge {
  const db = new Database(target, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Overwrite the destroyed keys' bytes in the pages, as the store does.
    db.pragma('secure_delete = ON');
    db.prepare('ATTACH DATABASE ? AS newer').run(from);
    const result = db
      .transaction((): KeyFileMerge => {
        const destroyed = db
          .prepare(
            `UPDATE main.data_keys SET key = NULL,
               destroyed_at = (SELECT n.destroyed_at FROM newer.data_keys n WHERE n.household_id = main.data_keys.household_id)
             WHERE key IS NOT NULL AND household_id IN (SELECT household_id FROM newer.data_keys WHERE key IS NULL)`,
          )
          .run().changes;
        const added = db
          .prepare(
            `INSERT INTO main.data_keys (household_id, key, created_at, destroyed_at)
             SELECT household_id, key, created_at, destroyed_at FROM newer.data_keys
             WHERE household_id NOT IN (SELECT household_id FROM main.data_keys)`,
          )
          .run().changes;
        const keks = new Set(
          db
            .prepare<[], { key: Buffer }>('SELECT key FROM main.data_keys WHERE key IS NOT NULL')
            .all()
            .map((row) => kekIdOfStoredForm(row.key))
            // Bare keys of earlier versions are wrapped under the configured KEK at the first start.
            .filter((id) => id !== null),
        );
        if (keks.size > 1) {
          throw new Error(
            `the restored and the current key store are wrapped under different key-encryption keys (${[...keks].join(', ')}): nothing merged`,
          );
        }
        return { destroyed, added };
      })
      .immediate();
    db.exec('DETACH DATABASE newer');
    // The destroyed keys' old pages may sit in the WAL: copy back and truncate it now.
    db.pragma('wal_checkpoint(TRUNCATE)');
    return result;
  } finally {
    db.close();
  }
}
