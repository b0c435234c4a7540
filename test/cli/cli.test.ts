import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SETTINGS } from "../../src/config.ts";
import { MIGRATIONS } from "../../src/db/client.ts";
import { runRoost, MAIN } from "../helpers/cli.ts";
import { freePort, tempDir, waitFor } from "../helpers/temp.ts";

let dir: ReturnType<typeof tempDir>;
let env: Record<string, string>;
beforeEach(() => {
  dir = tempDir();
  env = { ROOST_DATA_DIR: dir.path };
});
afterEach(() => dir.cleanup());

const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

async function setupOwner(username = "alice") {
  writeFileSync(join(dir.path, "pw"), "correct horse battery\n");
  return runRoost(["setup", "--username", username, "--display-name", "Alice", "--password-file", join(dir.path, "pw")], { env });
}

describe("roost --help and --version", () => {
  test("help documents every command and every environment variable", async () => {
    const r = await runRoost(["--help"]);
    expect(r.code).toBe(0);
    for (const command of ["serve", "setup", "self-test", "migrate", "backup", "jobs", "--version"]) expect(r.stdout).toContain(command);
    for (const s of SETTINGS) {
      expect(r.stdout).toContain(s.env);
      expect(r.stdout).toContain(s.flag);
    }
  });

  test("version", async () => {
    const r = await runRoost(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^roost \d+\.\d+\.\d+\n$/);
  });
});

describe("bad input gives one clear line and a non-zero exit", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["a bad setting", ["serve"], { ROOST_LISTEN: "abc" }, /^roost: invalid configuration: ROOST_LISTEN="abc": expected host:port/],
    ["a bad flag value", ["serve", "--public-url", "nope"], {}, /^roost: invalid configuration: --public-url="nope": expected an http/],
    ["an unknown command", ["frobnicate"], {}, /^roost: unknown command "frobnicate"/],
    ["an unknown option", ["setup", "--colour", "red"], {}, /^roost: unknown option --colour for "roost setup"/],
    ["a flag without its value", ["serve", "--listen"], {}, /^roost: --listen needs a value/],
    ["setup without a username", ["setup"], {}, /^roost: setup needs --username NAME/],
    ["setup with a bad username", ["setup", "--username", "no spaces"], {}, /^roost: username may contain only/],
    ["a missing password file", ["setup", "--username", "alice", "--password-file", "/nonexistent/pw"], {}, /^roost: cannot read --password-file \/nonexistent\/pw: ENOENT/],
    ["backup without a file", ["backup"], {}, /^roost: backup needs a target file/],
    ["jobs retry without ids", ["jobs", "retry"], {}, /^roost: jobs retry needs job ids or --all/],
    ["jobs with a bad id", ["jobs", "purge", "x1"], {}, /^roost: "x1" is not a job id/],
  ];
  for (const [name, args, extraEnv, message] of cases) {
    test(name, async () => {
      const r = await runRoost(args, { env: { ...env, ...extraEnv } });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      noStackTrace(r.stderr);
    });
  }

  test("an unusable data folder", async () => {
    writeFileSync(join(dir.path, "file"), "");
    const r = await runRoost(["migrate"], { env: { ROOST_DATA_DIR: join(dir.path, "file", "data") } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toStartWith("roost: ");
    noStackTrace(r.stderr);
  });

  test("a port already in use", async () => {
    const blocker = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    try {
      const r = await runRoost(["serve", "--listen", `127.0.0.1:${blocker.port}`], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("roost: cannot listen: the address is already in use");
      noStackTrace(r.stderr);
    } finally {
      blocker.stop(true);
    }
  });
});

describe("roost setup", () => {
  test("creates the owner from a password file, once", async () => {
    const r = await setupOwner();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created @alice@localhost:3000");
    const db = new Database(join(dir.path, "roost.db"), { readonly: true });
    expect(db.query("SELECT username, display_name, domain FROM accounts").all()).toEqual([{ username: "alice", display_name: "Alice", domain: null }]);
    db.close();
    const again = await setupOwner("bob");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("this server already has an owner");
  });

  test("reads the password from a pipe, and refuses a short one", async () => {
    const short = await runRoost(["setup", "--username", "alice"], { env, stdin: "short\n" });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("password must be at least 8 characters");
    const ok = await runRoost(["setup", "--username", "alice"], { env, stdin: "long enough password\n" });
    expect(ok.code).toBe(0);
  });
});

describe("roost migrate, backup and jobs", () => {
  test("migrate applies the schema, then has nothing to do", async () => {
    const first = await runRoost(["migrate"], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Applied 0000_/);
    const second = await runRoost(["migrate"], { env });
    expect(second.stdout).toContain("The database is up to date.");
  });

  test("jobs lists, retries and purges failed jobs", async () => {
    await runRoost(["migrate"], { env });
    const db = new Database(join(dir.path, "roost.db"));
    const now = Date.now();
    const insert = db.prepare(
      "INSERT INTO jobs (kind, payload, status, run_at, attempts, max_attempts, last_error, created_at, updated_at) VALUES (?, '{}', 'failed', ?, 8, 8, 'Error: remote said 500', ?, ?)",
    );
    insert.run("deliver.activity", now, now, now);
    insert.run("fetch.object", now, now, now);
    db.close();

    const list = await runRoost(["jobs"], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("queued 0, running 0, failed 2");
    expect(list.stdout).toMatch(/#1 {2}deliver\.activity {2}failed {2}attempts 8\/8 .* Error: remote said 500/);

    const retry = await runRoost(["jobs", "retry", "1"], { env });
    expect(retry.stdout).toContain("Queued again 1 failed job(s).");
    const purge = await runRoost(["jobs", "purge", "--all"], { env });
    expect(purge.stdout).toContain("Purged 1 failed job(s).");
    const json = JSON.parse((await runRoost(["jobs", "list", "--json"], { env })).stdout);
    expect(json.counts).toEqual({ queued: 1, running: 0, failed: 0 });
    expect(json.jobs[0]).toMatchObject({ id: 1, kind: "deliver.activity", status: "queued", attempts: 0 });
  });
});

describe("roost serve", () => {
  test("prints the setup link, serves, backs up while running, and stops cleanly on SIGTERM", async () => {
    const port = freePort();
    const child = Bun.spawn([process.execPath, MAIN, "serve", "--listen", `127.0.0.1:${port}`], {
      env: { ...env, PATH: process.env.PATH ?? "", ROOST_LOG_LEVEL: "warning" },
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      let out = "";
      const reader = child.stdout.getReader();
      const decoder = new TextDecoder();
      await waitFor(async () => {
        const { value } = await reader.read();
        out += decoder.decode(value);
        return /secret=[\w-]+/.test(out);
      }, "the setup link");
      expect(out).toContain("This server has no owner yet.");
      expect(out).toMatch(new RegExp(`http://localhost:${port}/setup\\?secret=[\\w-]{32}`));
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);

      const copy = join(dir.path, "copy.db");
      const backup = await runRoost(["backup", copy], { env });
      expect(backup.code).toBe(0);
      expect(backup.stdout).toContain(`Backed up`);
      const db = new Database(copy, { readonly: true });
      expect((db.query("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check).toBe("ok");
      expect(db.query("SELECT count(*) AS n FROM roost_migrations").get()).toEqual({ n: MIGRATIONS.length });
      db.close();
      const refused = await runRoost(["backup", copy], { env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("already exists");

      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
      // A clean stop folds the write-ahead log back into the database file.
      const wal = join(dir.path, "roost.db-wal");
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

test("self-test checks the data folder, SQLite, sharp and keys", async () => {
  const r = await runRoost(["self-test"], { env, timeoutMs: 60_000 });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^ok {4}data folder/m);
  expect(r.stdout).toMatch(/^ok {4}sqlite: SQLite 3\./m);
  expect(r.stdout).toMatch(/^ok {4}images: sharp [\d.]+ with libvips/m);
  expect(r.stdout).toMatch(/^ok {4}keys: RSA-2048 and Ed25519/m);
  expect(r.stdout).toContain("All checks passed.");
});

describe("roost token", () => {
  test("create prints a working token; list shows it; revoke kills it", async () => {
    expect((await setupOwner()).code).toBe(0);
    const created = await runRoost(["token", "create", "--app", "backup script", "--scopes", "read write"], { env });
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const { loadConfig } = await import("../../src/config.ts");
    const { startServer } = await import("../../src/server.ts");
    const port = freePort();
    const server = await startServer(loadConfig({ ROOST_DATA_DIR: dir.path, ROOST_LISTEN: `127.0.0.1:${port}`, ROOST_LOG_LEVEL: "warning" }));
    try {
      const verify = await fetch(`${server.url}/api/v1/apps/verify_credentials`, { headers: { authorization: `Bearer ${token}` } });
      expect(verify.status).toBe(200);
      expect((await verify.json()).name).toBe("backup script");

      const list = await runRoost(["token", "list"], { env });
      expect(list.stdout).toMatch(/^(\d+) {2}backup script {2}read write {2}created .* last used \d{4}-/m);
      const id = /^(\d+) /.exec(list.stdout)![1]!;
      const revoked = await runRoost(["token", "revoke", id], { env });
      expect(revoked.stdout).toContain(`Revoked ${id}.`);
      expect((await fetch(`${server.url}/api/v1/apps/verify_credentials`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  test("bad token commands", async () => {
    expect((await runRoost(["token", "create", "--app", "x"], { env })).stderr).toContain("no owner yet");
    expect((await runRoost(["token", "create"], { env })).stderr).toContain("token create needs --app NAME");
    expect((await runRoost(["token", "create", "--app", "x", "--scopes", "everything"], { env })).code).toBe(2);
    expect((await runRoost(["token"], { env })).stderr).toContain("token needs an action");
  });
});
