import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { MigrationError, migrate, migrationStatus, MIGRATIONS, openStorage } from "../../src/db/client.ts";
import type { MigrationFile } from "../../src/db/migration-files.ts";
import { tempDir } from "../helpers/temp.ts";

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir()));
afterEach(() => dir.cleanup());

const m = (tag: string, ...statements: string[]): MigrationFile => ({ tag, hash: tag, statements });
const backups = () => readdirSync(dir.path).filter((f) => f.endsWith(".bak"));

describe("migrations", () => {
  test("a fresh database gets every embedded migration and no backup", () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    const storage = openStorage(dir.path);
    const tables = storage.sqlite.query("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    for (const t of ["accounts", "users", "statuses", "follows", "follow_requests", "oauth_applications", "oauth_access_tokens", "jobs", "kv"]) {
      expect(tables.map((r) => r.name)).toContain(t);
    }
    expect(migrationStatus(storage.sqlite)).toEqual({ applied: MIGRATIONS.map((x) => x.tag), pending: [], unknown: [] });
    expect(backups()).toEqual([]);
    storage.close();
  });

  test("the pragmas Roost relies on are set", () => {
    const storage = openStorage(dir.path);
    const get = (p: string) => Object.values(storage.sqlite.query(`PRAGMA ${p}`).get() as object)[0];
    expect(get("journal_mode")).toBe("wal");
    expect(get("foreign_keys")).toBe(1);
    expect(get("synchronous")).toBe(1); // NORMAL
    expect(get("busy_timeout")).toBe(5000);
    storage.close();
  });

  test("reopening an up-to-date database changes nothing", () => {
    openStorage(dir.path).close();
    const storage = openStorage(dir.path);
    storage.close();
    expect(backups()).toEqual([]);
  });

  test("an existing database is copied before migrating, and the copy holds the old data", () => {
    const path = join(dir.path, "roost.db");
    const db = new Database(path, { create: true });
    migrate(db, path, [m("0000_a", "CREATE TABLE notes (body TEXT)")]);
    db.exec("INSERT INTO notes VALUES ('precious')");
    const result = migrate(db, path, [m("0000_a", "CREATE TABLE notes (body TEXT)"), m("0001_b", "ALTER TABLE notes ADD COLUMN title TEXT")]);
    expect(result.applied).toEqual(["0001_b"]);
    expect(result.backup).toBeDefined();
    expect(backups()).toHaveLength(1);
    expect(result.backup!).toContain("before-0001_b");
    const copy = new Database(result.backup!, { readonly: true });
    expect(copy.query("SELECT body FROM notes").all()).toEqual([{ body: "precious" }]);
    // The copy is from before: it lacks the new column.
    expect((copy.query("PRAGMA table_info(notes)").all() as { name: string }[]).map((c) => c.name)).toEqual(["body"]);
    copy.close();
    expect((db.query("PRAGMA table_info(notes)").all() as { name: string }[]).map((c) => c.name)).toEqual(["body", "title"]);
    db.close();
  });

  test("a failing migration is rolled back and says where the copy is", () => {
    const path = join(dir.path, "roost.db");
    const db = new Database(path, { create: true });
    migrate(db, path, [m("0000_a", "CREATE TABLE notes (body TEXT)")]);
    db.exec("INSERT INTO notes VALUES ('kept')");
    const broken = [m("0000_a"), m("0001_bad", "CREATE TABLE half (x)", "THIS IS NOT SQL")];
    expect(() => migrate(db, path, broken)).toThrow(MigrationError);
    expect(() => migrate(db, path, broken)).toThrow(/0001_bad failed and was rolled back.*a copy from before is at/);
    expect(db.query("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeNull();
    expect(db.query("SELECT body FROM notes").all()).toEqual([{ body: "kept" }]);
    expect(migrationStatus(db, broken).pending).toEqual(["0001_bad"]);
    db.close();
  });

  test("a database from a newer Roost is refused, not touched", () => {
    const path = join(dir.path, "roost.db");
    const db = new Database(path, { create: true });
    migrate(db, path, [m("0000_a"), m("9999_future")]);
    expect(() => migrate(db, path, [m("0000_a")])).toThrow(/migrated by a newer Roost \(9999_future\)/);
    db.close();
  });
});
