import type Database from 'better-sqlite3';
import { storageNameOf } from '../collections';
import type { CollectionSpec, DocWrite, Filter, FindQuery, StoredDoc } from '../port';
import { indexValuesOf, jsonOf, searchText } from '../values';
import { countSql, findSql, ftsPhrase, toSqlValue, trigramSearchable, type SearchIndexes, type Sql, type SqlValue } from './sqlite-query';
import { indexColumn, quote, searchColumn, searchTable } from './sqlite-schema';

/** A document row as read with safe integers on; `doc` is never NULL in results (tombstones are filtered). */
interface DocRow {
  readonly id: string;
  readonly doc: string;
  readonly position: bigint;
}

/** Up to this many candidates, a substring search fetches them through the trigram index and sorts them. */
const MAX_SEARCH_CANDIDATES = 2000;

/** Distinct query shapes kept prepared per collection; a caseload has a handful. */
const MAX_CACHED_QUERIES = 64;

/** The statements of one collection's table, prepared once per connection. */
export class SqliteCollection {
  readonly table: string;
  private readonly upsert: Database.Statement<SqlValue[]>;
  private readonly selectOne: Database.Statement<[string], DocRow>;
  private readonly selectMany: Database.Statement<[string], DocRow>;
  private readonly queries = new Map<string, Database.Statement<SqlValue[]>>();
  /** Fields with a trigram index, as found when the statements were prepared. */
  private readonly search: SearchIndexes;
  /** Per searched field: counts the trigram table's candidates, up to one more than worth fetching. */
  private readonly probes = new Map<string, Database.Statement<[string], bigint>>();

  constructor(
    private readonly db: Database.Database,
    readonly spec: CollectionSpec,
  ) {
    this.table = storageNameOf(spec.name);
    const table = quote(this.table);
    this.upsert = db.prepare<SqlValue[]>(upsertSql(table, spec));
    this.selectOne = db.prepare<[string], DocRow>(`SELECT id, doc, position FROM ${table} WHERE id = ? AND doc IS NOT NULL`);
    this.selectMany = db.prepare<[string], DocRow>(
      `SELECT id, doc, position FROM ${table} WHERE id IN (SELECT value FROM json_each(?)) AND doc IS NOT NULL`,
    );
    this.search = { table: this.table, fields: searchIndexedFields(db, this.table, spec) };
  }

  /** Applies the write unless the stored document (or tombstone) is as new or newer: the replay guard. */
  write(write: DocWrite): void {
    const doc = write.json ?? (write.doc === null ? null : jsonOf(write.id, write.doc));
    const index = indexValuesOf(this.spec, write).flatMap((value) => [toSqlValue(value), searchText(value)]);
    this.upsert.run(write.id, doc, write.position, ...index);
  }

  get<T>(id: string): StoredDoc<T> | null {
    const row = this.selectOne.get(id);
    return row ? toStoredDoc<T>(row) : null;
  }

  getMany<T>(ids: readonly string[]): Map<string, StoredDoc<T>> {
    const rows = ids.length === 0 ? [] : this.selectMany.all(JSON.stringify(ids));
    return new Map(rows.map((row) => [row.id, toStoredDoc<T>(row)]));
  }

  find<T>(query: FindQuery): StoredDoc<T>[] {
    const { sql, params } = findSql(this.table, query, this.selective(query.filters));
    return (this.statement({ sql, params }).all(...params) as DocRow[]).map((row) => toStoredDoc<T>(row));
  }

  count(filters?: readonly Filter[]): number {
    const query = countSql(this.table, filters, this.selective(filters));
    return Number(
      this.statement(query)
        .pluck()
        .get(...query.params) as bigint,
    );
  }

  /**
   * The searched fields whose trigram index narrows the query to few rows. A needle found in many
   * rows ("familie") is answered faster without it: walking the sort order stops after one page,
   * where fetching every candidate by rowid and sorting them would take hundreds of milliseconds.
   */
  private selective(filters: readonly Filter[] = []): SearchIndexes | undefined {
    const fields = new Set<string>();
    for (const { field, op, value } of filters) {
      if (op !== 'contains' || !this.search.fields.has(field)) continue;
      const needle = searchText(value as string) ?? '';
      if (!trigramSearchable(needle)) continue;
      if ((this.probe(field).get(ftsPhrase(needle)) ?? 0n) <= BigInt(MAX_SEARCH_CANDIDATES)) fields.add(field);
    }
    return fields.size === 0 ? undefined : { table: this.table, fields };
  }

  private probe(field: string): Database.Statement<[string], bigint> {
    let probe = this.probes.get(field);
    if (!probe) {
      const fts = quote(searchTable(this.table, field));
      probe = this.db
        .prepare<[string], bigint>(
          `SELECT count(*) FROM (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ? LIMIT ${MAX_SEARCH_CANDIDATES + 1})`,
        )
        .pluck();
      this.probes.set(field, probe);
    }
    return probe;
  }

  private statement({ sql }: Sql): Database.Statement<SqlValue[]> {
    let statement = this.queries.get(sql);
    if (!statement) {
      if (this.queries.size >= MAX_CACHED_QUERIES) this.queries.clear();
      statement = this.db.prepare<SqlValue[]>(sql);
      this.queries.set(sql, statement);
    }
    return statement;
  }
}

/** Inserts, or replaces a document only with a write from a later position. */
const upsertSql = (table: string, spec: CollectionSpec): string => {
  const columns = ['id', 'doc', 'position', ...spec.indexes.flatMap((field) => [indexColumn(field), searchColumn(field)])];
  const updates = columns.slice(1).map((column) => `${column} = excluded.${column}`);
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} WHERE excluded.position > ${table}.position`
  );
};

/** The index fields whose trigram table exists (it is created with the other indexes, maybe later). */
const searchIndexedFields = (db: Database.Database, table: string, spec: CollectionSpec): Set<string> => {
  const exists = db.prepare<[string]>("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  return new Set(spec.indexes.filter((field) => exists.get(searchTable(table, field)) !== undefined));
};

const toStoredDoc = <T>(row: DocRow): StoredDoc<T> => ({
  id: row.id,
  // Only this store writes the column, always from a document of this collection.
  doc: JSON.parse(row.doc) as T,
  position: row.position,
});
