// Opens the SQLite database with the pragmas Roost relies on and brings its schema up to date.
import { Database as SQLite } from "bun:sqlite";
import { drizzle, type BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { getLogger } from "@logtape/logtape";
import { readMigrationFiles } from "./migration-files.ts" with { type: "macro" };
import type { MigrationFile } from "./migration-files.ts";
import * as schema from "./schema.ts";

export type DB = BunSQLiteDatabase<typeof schema> & { $client: SQLite };

export interface Storage {
  /** The drizzle query builder. */
  db: DB;
  /** The raw connection, for hot paths and maintenance. */
  sqlite: SQLite;
  path: string;
  close(): void;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

const log = getLogger(["roost", "db"]);

export const DATABASE_FILE = "roost.db";

export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

export interface OpenOptions {
  /** Apply pending migrations (backing up an existing database first). Default true. */
  migrate?: boolean;
  readonly?: boolean;
}

export function openStorage(dataDir: string, options: OpenOptions = {}): Storage {
  mkdirSync(dataDir, { recursive: true });
  const path = databasePath(dataDir);
  const sqlite = options.readonly ? new SQLite(path, { readonly: true }) : new SQLite(path, { create: true });
  applyPragmas(sqlite, options.readonly ?? false);
  if (options.migrate ?? true) migrate(sqlite, path);
  // drizzle prepares each query afresh; bun:sqlite's query() keeps prepared statements by SQL text,
  // so a request's queries are compiled once per process instead of on every call.
  (sqlite as { prepare: SQLite["prepare"] }).prepare = sqlite.query.bind(sqlite) as SQLite["prepare"];
  const db = drizzle(sqlite, { schema }) as DB;
  return {
    db,
    sqlite,
    path,
    close() {
      if (!options.readonly) {
        // Folds the WAL back into the main file so a stopped server leaves one self-contained file.
        try {
          sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch {}
      }
      sqlite.close();
    },
  };
}

function applyPragmas(sqlite: SQLite, readonly: boolean): void {
  sqlite.exec("PRAGMA busy_timeout = 5000");
  if (!readonly) sqlite.exec("PRAGMA journal_mode = WAL");
  sqlite.exec("PRAGMA synchronous = NORMAL");
  sqlite.exec("PRAGMA foreign_keys = ON");
  sqlite.exec("PRAGMA temp_store = MEMORY");
  sqlite.exec("PRAGMA cache_size = -16000"); // 16 MB page cache
}

/** The migrations built into this program, oldest first. */
export const MIGRATIONS: MigrationFile[] = readMigrationFiles();

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations this program does not know: the database is from a newer Roost. */
  unknown: string[];
}

function ensureMigrationTable(sqlite: SQLite): void {
  sqlite.exec(
    "CREATE TABLE IF NOT EXISTS roost_migrations (tag TEXT PRIMARY KEY NOT NULL, hash TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
}

export function migrationStatus(sqlite: SQLite, migrations: MigrationFile[] = MIGRATIONS): MigrationStatus {
  const exists = sqlite.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'roost_migrations'").get();
  const applied = exists
    ? (sqlite.query("SELECT tag FROM roost_migrations ORDER BY tag").all() as { tag: string }[]).map((r) => r.tag)
    : [];
  const known = new Set(migrations.map((m) => m.tag));
  return {
    applied,
    pending: migrations.filter((m) => !applied.includes(m.tag)).map((m) => m.tag),
    unknown: applied.filter((t) => !known.has(t)),
  };
}

/**
 * Applies pending migrations, each in its own transaction. A database that already holds tables is
 * first copied next to itself (VACUUM INTO), so a failed or regretted upgrade never loses data.
 * Returns the path of that copy, if one was made.
 */
export function migrate(
  sqlite: SQLite,
  path: string,
  migrations: MigrationFile[] = MIGRATIONS,
): { applied: string[]; backup?: string } {
  const status = migrationStatus(sqlite, migrations);
  if (status.unknown.length > 0) {
    throw new MigrationError(
      `the database at ${path} was migrated by a newer Roost (${status.unknown.join(", ")}); run that version or restore a backup`,
    );
  }
  if (status.pending.length === 0) return { applied: [] };

  let backup: string | undefined;
  const hasTables = sqlite
    .query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1")
    .get();
  if (hasTables) {
    const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.(\d+)Z$/, "$1Z");
    backup = `${path}.before-${status.pending[0]}-${stamp}.bak`;
    // A retried migration must never overwrite the copy from the first try.
    for (let n = 2; existsSync(backup); n++) backup = `${path}.before-${status.pending[0]}-${stamp}-${n}.bak`;
    try {
      backupDatabase(sqlite, backup);
    } catch (error) {
      throw new MigrationError(`could not copy the database to ${backup} before migrating, so nothing was changed: ${(error as Error).message}`);
    }
    log.info("Backed up the database to {backup} before migrating", { backup });
  }

  ensureMigrationTable(sqlite);
  const record = sqlite.prepare("INSERT INTO roost_migrations (tag, hash, applied_at) VALUES (?, ?, ?)");
  for (const migration of migrations.filter((m) => status.pending.includes(m.tag))) {
    // Table rebuilds generated by drizzle-kit need foreign keys off; they are checked before commit.
    sqlite.exec("PRAGMA foreign_keys = OFF");
    try {
      sqlite.transaction(() => {
        for (const statement of migration.statements) sqlite.exec(statement);
        const broken = sqlite.query("PRAGMA foreign_key_check").all();
        if (broken.length > 0) throw new Error(`foreign key check failed: ${JSON.stringify(broken[0])}`);
        record.run(migration.tag, migration.hash, Date.now());
      })();
    } catch (error) {
      throw new MigrationError(
        `migration ${migration.tag} failed and was rolled back: ${(error as Error).message}` +
          (backup ? ` (a copy from before is at ${backup})` : ""),
      );
    } finally {
      sqlite.exec("PRAGMA foreign_keys = ON");
    }
    log.info("Applied migration {tag}", { tag: migration.tag });
  }
  return { applied: status.pending, backup };
}

/** A consistent copy of a live database (a read transaction; writers keep going in WAL mode). */
export function backupDatabase(sqlite: SQLite, target: string): void {
  if (existsSync(target) && statSync(target).size > 0) throw new Error(`${target} already exists`);
  sqlite.prepare("VACUUM INTO ?").run(target);
}
