// Runs at bundle/transpile time as a Bun macro (imported `with { type: "macro" }`), so the SQL in
// migrations/ is inlined into the code: `bun src/main.ts` and the compiled executable apply the same files.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface MigrationFile {
  tag: string;
  hash: string;
  statements: string[];
}

export function readMigrationFiles(): MigrationFile[] {
  const folder = join(import.meta.dir, "..", "..", "migrations");
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  return journal.entries.map(({ tag }) => {
    const sql = readFileSync(join(folder, `${tag}.sql`), "utf8");
    return {
      tag,
      hash: new Bun.CryptoHasher("sha256").update(sql).digest("hex"),
      statements: sql
        .split("--> statement-breakpoint")
        .map((s) => s.trim())
        .filter(Boolean),
    };
  });
}
