// Hot-path queries are built once per database and run with placeholders: drizzle otherwise rebuilds
// a query's SQL on every call. A list of ids is passed as one JSON array and read with json_each, so
// one statement serves any number of ids.
import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Storage } from "./client.ts";
import { toStoredId } from "./ids.ts";

const caches = new WeakMap<Storage, Map<string, unknown>>();

/** Builds a prepared query on first use for this storage, then reuses it. */
export function prepared<T>(storage: Storage, key: string, build: () => T): T {
  let cache = caches.get(storage);
  if (!cache) caches.set(storage, (cache = new Map()));
  let query = cache.get(key) as T | undefined;
  if (!query) cache.set(key, (query = build()));
  return query;
}

/** `column IN (ids)` where the ids arrive in placeholder `name` as idList(...). */
export function inIdList(column: SQLiteColumn, name: string): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`;
}

/** The placeholder value for inIdList: stored-form ids as one JSON array. */
export function idList(ids: Iterable<string>): string {
  return JSON.stringify([...new Set(ids)].map(toStoredId));
}
