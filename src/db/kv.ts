// The kv table: small JSON values (server settings, generated keys) by key.
import { eq } from "drizzle-orm";
import type { Storage } from "./client.ts";
import { kv } from "./schema.ts";

export function readKv<T>(storage: Storage, key: string): T | undefined {
  const row = storage.db.select().from(kv).where(eq(kv.key, key)).get();
  if (!row || (row.expiresAt !== null && row.expiresAt < Date.now())) return undefined;
  return JSON.parse(row.value) as T;
}

export function writeKv(storage: Storage, key: string, value: unknown, expiresAt: number | null = null): void {
  const json = JSON.stringify(value);
  storage.db.insert(kv).values({ key, value: json, expiresAt }).onConflictDoUpdate({ target: kv.key, set: { value: json, expiresAt } }).run();
}

/** Inserts only if absent; returns what is stored afterwards (so concurrent first uses agree). */
export function initKv<T>(storage: Storage, key: string, value: T): T {
  storage.db.insert(kv).values({ key, value: JSON.stringify(value) }).onConflictDoNothing().run();
  return readKv<T>(storage, key)!;
}
