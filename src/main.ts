#!/usr/bin/env bun
// The CLI: roost serve | setup | self-test | migrate | backup | jobs. Nothing else lives here.
import { join } from "node:path";
import pkg from "../package.json" with { type: "json" };
import { ConfigError, loadConfig } from "./config.ts";
import { setupLogging } from "./logging.ts";
import { setNativeCacheDir } from "./media/native.ts";
import { parseArgs, UsageError } from "./cli/args.ts";
import { helpText } from "./cli/help.ts";
import { warn } from "./cli/output.ts";

/** The options each command accepts besides the configuration flags. */
const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  serve: [],
  setup: ["username", "display-name", "password-file"],
  "self-test": [],
  migrate: [],
  backup: [],
  jobs: ["status", "limit", "all", "json"],
  token: ["app", "scopes"],
  help: [],
  version: [],
};

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv, COMMAND_OPTIONS);
  if (args.options.version || args.command === "version") {
    process.stdout.write(`roost ${pkg.version}\n`);
    return 0;
  }
  if (args.options.help || args.command === "help") {
    process.stdout.write(helpText(pkg.version));
    return 0;
  }
  if (!(args.command in COMMAND_OPTIONS)) throw new UsageError(`unknown command "${args.command}"`);
  const config = loadConfig(process.env, args.config);
  setupLogging(config.logLevel);
  setNativeCacheDir(join(config.dataDir, "cache"));
  // Each command loads only what it needs.
  switch (args.command) {
    case "serve":
      return (await import("./cli/serve.ts")).serveCommand(config);
    case "setup":
      return (await import("./cli/setup.ts")).setupCommand(config, args);
    case "self-test":
      return (await import("./cli/self-test.ts")).selfTestCommand(config);
    case "migrate":
      return (await import("./cli/database.ts")).migrateCommand(config);
    case "backup":
      return (await import("./cli/database.ts")).backupCommand(config, args);
    case "jobs":
      return (await import("./cli/jobs.ts")).jobsCommand(config, args);
    case "token":
      return (await import("./cli/tokens.ts")).tokenCommand(config, args);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      warn(`roost: ${error.message}\nRun \`roost --help\` for usage.`);
      process.exit(2);
    }
    if (error instanceof ConfigError) {
      warn(`roost: invalid configuration: ${error.message}`);
      process.exit(2);
    }
    const e = error as NodeJS.ErrnoException;
    // Matched by name: db/client.ts is loaded lazily, by the commands that use it.
    if (e?.name === "MigrationError") {
      warn(`roost: ${e.message}`);
      process.exit(1);
    }
    if (e?.code === "EADDRINUSE") {
      warn(`roost: cannot listen: the address is already in use (set ROOST_LISTEN or --listen)`);
      process.exit(1);
    }
    if (e?.code === "EACCES" || e?.code === "EROFS" || e?.code === "ENOTDIR") {
      warn(`roost: ${e.message}`);
      process.exit(1);
    }
    warn(`roost: ${e?.message ?? String(error)}`);
    if (process.env.ROOST_DEBUG) console.error(error);
    process.exit(1);
  },
);
