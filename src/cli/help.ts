import { SETTINGS } from "../config.ts";

export const COMMANDS: { usage: string; help: string }[] = [
  { usage: "serve", help: "Run the server (the default command). With no owner yet, prints a one-time setup link." },
  { usage: "setup --username NAME [--display-name NAME] [--password-file FILE]", help: "Create the owner account. The password comes from FILE, from standard input, or a prompt. Refuses if an owner exists." },
  { usage: "self-test", help: "Check the data folder, SQLite, image processing (sharp) and key generation, and say what is wrong." },
  { usage: "migrate", help: "Apply pending database migrations (after writing a copy of the database next to it)." },
  { usage: "backup FILE", help: "Write a consistent copy of the database to FILE; safe while the server runs." },
  { usage: "jobs [list] [--status queued|running|failed] [--limit N]", help: "Show background jobs and queue depth." },
  { usage: "jobs retry (ID… | --all)", help: "Queue failed jobs again with fresh attempts." },
  { usage: "jobs purge (ID… | --all)", help: "Delete failed jobs." },
  { usage: 'token create --app NAME [--scopes "read write follow push"]', help: "Print a new access token for the owner, for scripts and bots (scopes default to read)." },
  { usage: "token list", help: "List live access tokens with their app, scopes and last use." },
  { usage: "token revoke ID…", help: "Revoke access tokens by id." },
  { usage: "--version", help: "Print the version." },
  { usage: "--help", help: "Print this help." },
];

export function helpText(version: string): string {
  const lines = [`Roost ${version}: a Mastodon-compatible fediverse server for one person.`, "", "Usage: roost [command] [options]", "", "Commands:"];
  for (const c of COMMANDS) lines.push(`  ${c.usage}`, `      ${c.help}`);
  lines.push("", "Configuration (flag, or environment variable; flags win):");
  for (const s of SETTINGS) {
    lines.push(`  ${s.flag}${s.boolean ? "" : " VALUE"}  ${s.env}  (default: ${s.default})`, `      ${s.help}`);
  }
  return lines.join("\n") + "\n";
}
