import type { Filter, FindQuery, IndexValue } from '../port';
import { searchText } from '../values';
import { indexColumn, quote, searchColumn, searchTable } from './sqlite-schema';

export type SqlValue = string | number | bigint | null;

/** A statement's text and its parameters; the text depends only on the query's shape, so it is cached. */
export interface Sql {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** SQLite has no booleans: true and false are stored and compared as 1 and 0. */
export const toSqlValue = (value: IndexValue): SqlValue => (typeof value === 'boolean' ? Number(value) : value);

const COMPARISONS = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * One filter as SQL. Null is a value like any other, as in MongoDB: `eq null` finds nulls, and
 * `ne x` includes them (IS NOT, where `<>` would drop NULL rows).
 */
export const filterSql = ({ field, op, value }: Filter, search?: SearchIndexes): Sql => {
  const column = indexColumn(field);
  switch (op) {
    case 'eq':
      return value === null ? { sql: `${column} IS NULL`, params: [] } : compare(column, '=', value);
    case 'ne':
      return value === null ? { sql: `${column} IS NOT NULL`, params: [] } : compare(column, 'IS NOT', value);
    case 'in':
      return inSql(column, value as readonly IndexValue[]);
    case 'contains':
      return containsSql(field, searchText(value as string) ?? '', search);
    default:
      return compare(column, COMPARISONS[op], value);
  }
};

/** The table a collection lives in and its fields with a trigram index (see searchIndexDdl). */
export interface SearchIndexes {
  readonly table: string;
  readonly fields: ReadonlySet<string>;
}

/** FTS5 trigrams match substrings of at least three characters; shorter needles scan. */
export const MIN_TRIGRAM_NEEDLE = 3;

/**
 * Whether the trigram index can answer for this needle: at least three characters, and no NUL
 * (FTS5 reads its query as a C string, so a NUL would end it: "unterminated string").
 */
export const trigramSearchable = (needle: string): boolean => [...needle].length >= MIN_TRIGRAM_NEEDLE && !needle.includes('\u0000');

/** The needle as one FTS5 phrase (its trigrams in a row); quotes inside are doubled. */
export const ftsPhrase = (needle: string): string => `"${needle.replace(/"/g, '""')}"`;

/**
 * A substring of the search text. With a trigram index the candidates come from it (the needle as
 * one phrase: its trigrams in a row); `instr` stays as the exact test either way, so the result is
 * the same with or without the index.
 */
const containsSql = (field: string, needle: string, search?: SearchIndexes): Sql => {
  const exact: Sql = { sql: `instr(${searchColumn(field)}, ?) > 0`, params: [needle] };
  if (!search?.fields.has(field) || !trigramSearchable(needle)) return exact;
  const fts = quote(searchTable(search.table, field));
  return {
    sql: `rowid IN (SELECT rowid FROM ${fts} WHERE ${fts} MATCH ?) AND ${exact.sql}`,
    params: [ftsPhrase(needle), needle],
  };
};

const compare = (column: string, operator: string, value: Filter['value']): Sql => ({
  sql: `${column} ${operator} ?`,
  params: [toSqlValue(value as IndexValue)],
});

/** The list goes in as one JSON parameter, so lists of any length share one statement. */
const inSql = (column: string, values: readonly IndexValue[]): Sql => {
  const present = values.filter((value) => value !== null).map(toSqlValue);
  const clauses = [`${column} IN (SELECT value FROM json_each(?))`];
  if (values.includes(null)) clauses.push(`${column} IS NULL`);
  return { sql: `(${clauses.join(' OR ')})`, params: [JSON.stringify(present)] };
};

/**
 * Rows after the cursor in `ORDER BY field, id`. Nulls sort first (SQLite's order, and MongoDB's),
 * so after a null come the later nulls and every non-null; after a value no null follows. The
 * `>=` bound lets the (field, id) index start at the cursor.
 */
export const afterSql = (field: string, after: { readonly value: IndexValue; readonly id: string }): Sql => {
  const column = indexColumn(field);
  if (after.value === null) return { sql: `(${column} IS NOT NULL OR id > ?)`, params: [after.id] };
  const value = toSqlValue(after.value);
  return { sql: `${column} >= ? AND (${column} > ? OR id > ?)`, params: [value, value, after.id] };
};

/** Deleted documents (tombstones) are never part of a result. */
const whereSql = (parts: readonly Sql[]): Sql => ({
  sql: ['doc IS NOT NULL', ...parts.map((part) => part.sql)].join(' AND '),
  params: parts.flatMap((part) => part.params),
});

export const findSql = (table: string, query: FindQuery, search?: SearchIndexes): Sql => {
  const parts = (query.filters ?? []).map((filter) => filterSql(filter, search));
  if (query.after) parts.push(afterSql(query.sortBy, query.after));
  const where = whereSql(parts);
  return {
    sql: `SELECT id, doc, position FROM ${quote(table)} WHERE ${where.sql} ORDER BY ${indexColumn(query.sortBy)}, id LIMIT ?`,
    params: [...where.params, query.limit],
  };
};

export const countSql = (table: string, filters: readonly Filter[] = [], search?: SearchIndexes): Sql => {
  const where = whereSql(filters.map((filter) => filterSql(filter, search)));
  return { sql: `SELECT count(*) FROM ${quote(table)} WHERE ${where.sql}`, params: where.params };
};
