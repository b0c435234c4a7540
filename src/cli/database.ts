import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { Config } from "../config.ts";
import { backupDatabase, databasePath, migrate, openStorage } from "../db/client.ts";
import { UsageError, type ParsedArgs } from "./args.ts";
import { say } from "./output.ts";

export function migrateCommand(config: Config): number {
  const storage = openStorage(config.dataDir, { migrate: false });
  try {
    const result = migrate(storage.sqlite, storage.path);
    if (result.backup) say(`Copied the database to ${result.backup} first.`);
    say(result.applied.length ? `Applied ${result.applied.join(", ")}.` : "The database is up to date.");
    return 0;
  } finally {
    storage.close();
  }
}

export function backupCommand(config: Config, args: ParsedArgs): number {
  const target = args.positionals[0];
  if (!target) throw new UsageError("backup needs a target file: roost backup FILE");
  const file = resolve(target);
  if (existsSync(file)) throw new UsageError(`${file} already exists; choose a new file name`);
  if (!existsSync(databasePath(config.dataDir))) throw new UsageError(`there is no database in ${config.dataDir} to back up`);
  // No migration here: a backup copies the database exactly as it is.
  const storage = openStorage(config.dataDir, { migrate: false });
  try {
    backupDatabase(storage.sqlite, file);
  } finally {
    storage.close();
  }
  say(`Backed up ${storage.path} to ${file} (${statSync(file).size} bytes).`);
  return 0;
}
