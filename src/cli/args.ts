// A small, strict argument parser: a command, positionals, and --flags (--name value or --name=value).
import { findSettingByFlag, type SettingKey } from "../config.ts";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface ParsedArgs {
  command: string;
  positionals: string[];
  /** Command options, by flag name without dashes. */
  options: Record<string, string | true>;
  /** Configuration flags, by setting key (passed to loadConfig). */
  config: Partial<Record<SettingKey, string>>;
}

/** Flags that take no value. */
const SWITCHES = new Set(["help", "version", "all", "json"]);

export function parseArgs(argv: string[], commandOptions: Record<string, readonly string[]>): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  const config: Partial<Record<SettingKey, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h") {
      options.help = true;
      continue;
    }
    if (arg === "-v") {
      options.version = true;
      continue;
    }
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    const setting = findSettingByFlag(flag);
    const name = flag.slice(2);
    if (setting?.boolean || SWITCHES.has(name)) {
      if (setting) config[setting.key] = inline ?? "true";
      else if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      else options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
    if (setting) config[setting.key] = value;
    else options[name] = value;
  }
  const command = positionals.shift() ?? "serve";
  const allowed = commandOptions[command];
  if (allowed) {
    for (const name of Object.keys(options)) {
      if (name !== "help" && name !== "version" && !allowed.includes(name)) {
        throw new UsageError(`unknown option --${name} for "roost ${command}"`);
      }
    }
  }
  return { command, positionals, options, config };
}
