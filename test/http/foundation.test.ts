import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { findOwner, verifyOwnerPassword } from "../../src/domain/accounts/owner.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => (server = await startTestServer()));
afterAll(() => server.close());

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

describe("the HTTP foundation", () => {
  test("/health reports the database and the queue depth", async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok", jobs: { queued: 0, running: 0, failed: 0 } });
  });

  test("unknown API routes answer 404 in Mastodon's error shape", async () => {
    for (const path of ["/api/v1/nothing-here", "/api/v2/also/not", "/api/v1/statuses/1/nope"]) {
      const res = await fetch(`${server.url}${path}`, { method: path.endsWith("nope") ? "POST" : "GET" });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toEqual({ error: "Record not found" });
    }
  });

  test("unknown pages answer an HTML 404", async () => {
    const res = await fetch(`${server.url}/no/such/page`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
  });

  test("an oversized body is refused with 413 before it is read", async () => {
    const res = await fetch(`${server.url}/api/v1/statuses`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/^Request body too large/);
  });
});

describe("one-time setup", () => {
  test("the setup page needs the printed secret", async () => {
    expect(server.setupUrl).toMatch(/\/setup\?secret=[A-Za-z0-9_-]{32}$/);
    const wrong = await fetch(`${server.url}/setup?secret=guess`);
    expect(wrong.status).toBe(403);
    const none = await fetch(`${server.url}/setup`);
    expect(none.status).toBe(403);
    const secret = new URL(server.setupUrl!).searchParams.get("secret")!;
    const page = await fetch(`${server.url}/setup?secret=${secret}`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toStartWith("<!doctype html>");
    expect(body).toContain('name="username"');
    expect(body).toContain(`@username@${server.config.accountDomain}`);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
  });

  test("posting without the secret creates nothing", async () => {
    const res = await fetch(`${server.url}/setup`, form({ secret: "guess", username: "mallory", password: "password123", password_confirmation: "password123" }));
    expect(res.status).toBe(403);
    expect(findOwner(server.ctx.storage)).toBeUndefined();
  });

  test("bad input re-renders the form with the reason", async () => {
    const secret = new URL(server.setupUrl!).searchParams.get("secret")!;
    const mismatch = await fetch(`${server.url}/setup`, form({ secret, username: "alice", password: "password123", password_confirmation: "password124" }));
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain("The two passwords are not the same.");
    const badName = await fetch(`${server.url}/setup`, form({ secret, username: "al ice!", password: "password123", password_confirmation: "password123" }));
    expect(badName.status).toBe(422);
    expect(await badName.text()).toContain("Username may contain only");
    const short = await fetch(`${server.url}/setup`, form({ secret, username: "alice", password: "short", password_confirmation: "short" }));
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("at least 8 characters");
    expect(findOwner(server.ctx.storage)).toBeUndefined();
  });

  test("the secret creates the owner once, then the link is dead", async () => {
    const secret = new URL(server.setupUrl!).searchParams.get("secret")!;
    const created: string[] = [];
    server.ctx.events.on("owner.created", (e) => created.push(e.accountId));
    const res = await fetch(`${server.url}/setup`, form({ secret, username: "alice", display_name: "Alice A.", password: "correct horse", password_confirmation: "correct horse" }));
    expect(res.status).toBe(201);
    expect(await res.text()).toContain(`@alice@${server.config.accountDomain}`);

    const owner = findOwner(server.ctx.storage)!;
    expect(owner.account).toMatchObject({
      username: "alice",
      domain: null,
      displayName: "Alice A.",
      uri: `${server.config.publicUrl.origin}/users/alice`,
      url: `${server.config.publicUrl.origin}/@alice`,
      inboxUrl: `${server.config.publicUrl.origin}/users/alice/inbox`,
    });
    expect(owner.user.passwordHash).toStartWith("$argon2id$");
    expect(await verifyOwnerPassword(server.ctx.storage, "correct horse")).toBe(true);
    expect(await verifyOwnerPassword(server.ctx.storage, "wrong horse")).toBe(false);
    expect(created).toEqual([owner.account.id]);

    expect(server.setupUrl).toBeNull();
    expect((await fetch(`${server.url}/setup?secret=${secret}`)).status).toBe(410);
    const again = await fetch(`${server.url}/setup`, form({ secret, username: "bob", password: "password123", password_confirmation: "password123" }));
    expect(again.status).toBe(410);
    expect(findOwner(server.ctx.storage)!.account.username).toBe("alice");
  });

  test("the front page shows whose server this is", async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("Alice A.");
    expect(body).toContain(`@alice@${server.config.accountDomain}`);
  });
});
