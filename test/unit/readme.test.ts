import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SETTINGS } from "../../src/config.ts";
import { COMMANDS } from "../../src/cli/help.ts";

const readme = readFileSync(join(import.meta.dir, "..", "..", "README.md"), "utf8");

test("the README's quick start shows the two commands", () => {
  expect(readme).toContain("npm install && npm start");
  expect(readme).toContain("npm install && npm test");
});

test("the README's configuration table lists every setting with its flag", () => {
  for (const s of SETTINGS) expect(readme).toContain(`| \`${s.env}\` | \`${s.flag}\` |`);
});

test("the README documents every command", () => {
  for (const c of COMMANDS) {
    const name = c.usage.split(" ")[0]!;
    expect(readme).toContain(name.startsWith("--") ? `roost ${name}` : `roost ${name}`);
  }
});
