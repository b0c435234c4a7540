import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import sharp from "sharp";
import { insertFollow, insertIncomingFollowRequest, insertRemoteAccount } from "../helpers/fixtures.ts";
import { api, authorize, type ApiClient } from "../helpers/oauth.ts";
import { expectEntities, expectEntity } from "../helpers/schema.ts";
import { startApiSession, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let call: ApiClient;
let ownerId: string;
beforeAll(async () => {
  ({ server, call, ownerId } = await startApiSession());
});
afterAll(() => server.close());

describe("verify_credentials and update_credentials", () => {
  test("the owner's CredentialAccount", async () => {
    const res = await call("GET", "/api/v1/accounts/verify_credentials");
    expect(res.status).toBe(200);
    expectEntity("CredentialAccount", res.json);
    expect(res.json).toMatchObject({
      id: ownerId,
      username: "alice",
      acct: "alice",
      display_name: "Alice",
      url: `${server.url}/@alice`,
      avatar: `${server.url}/avatars/original/missing.png`,
      source: { privacy: "public", sensitive: false, note: "", fields: [], follow_requests_count: 0 },
      role: { name: "Owner" },
    });
    expect(res.json.created_at).toMatch(/T00:00:00\.000Z$/);
  });

  test("scopes: profile is enough, read:statuses is not, an app token is not a user", async () => {
    const profile = await authorize(server.url, "profile");
    expect((await api(server.url, profile.token)("GET", "/api/v1/accounts/verify_credentials")).status).toBe(200);
    const statuses = await authorize(server.url, "read:statuses");
    const denied = await api(server.url, statuses.token)("GET", "/api/v1/accounts/verify_credentials");
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ error: "This action is outside the authorized scopes" });
    const app = (await authorize(server.url, "read")).app;
    const tokenRes = await fetch(`${server.url}/oauth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret }) });
    const appToken = (await tokenRes.json()).access_token;
    const notUser = await api(server.url, appToken)("GET", "/api/v1/accounts/verify_credentials");
    expect(notUser.status).toBe(422);
    expect(notUser.json).toEqual({ error: "This method requires an authenticated user" });
  });

  test("a multipart update with Rails-style fields and an avatar", async () => {
    const png = await sharp({ create: { width: 900, height: 600, channels: 3, background: "#3a7" } }).png().toBuffer();
    const form = new FormData();
    form.set("display_name", "Alice Liddell");
    form.set("note", "Curiouser & curiouser. https://wonderland.example #tea");
    form.set("fields_attributes[0][name]", "Site");
    form.set("fields_attributes[0][value]", "https://alice.example");
    form.set("fields_attributes[1][name]", "Pronouns");
    form.set("fields_attributes[1][value]", "she/her");
    form.set("source[privacy]", "unlisted");
    form.set("source[language]", "en");
    form.set("locked", "1");
    form.set("avatar", new File([png], "me.png", { type: "image/png" }));
    const res = await call("PATCH", "/api/v1/accounts/update_credentials", form);
    expect(res.status).toBe(200);
    expectEntity("CredentialAccount", res.json);
    expect(res.json).toMatchObject({
      display_name: "Alice Liddell",
      locked: true,
      source: { privacy: "unlisted", language: "en", note: "Curiouser & curiouser. https://wonderland.example #tea" },
    });
    expect(res.json.note).toContain('<a href="https://wonderland.example"');
    expect(res.json.note).toContain('class="mention hashtag"');
    expect(res.json.note).toContain("Curiouser &amp; curiouser.");
    expect(res.json.fields.map((f: { name: string }) => f.name)).toEqual(["Site", "Pronouns"]);
    expect(res.json.fields[0].value).toContain('href="https://alice.example"');
    expect(res.json.source.fields[0]).toEqual({ name: "Site", value: "https://alice.example", verified_at: null });
    expect(res.json.avatar).toStartWith(`${server.url}/system/accounts/avatars/${ownerId}/`);
    const avatar = await fetch(res.json.avatar);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get("content-type")).toBe("image/png");
    const meta = await sharp(Buffer.from(await avatar.arrayBuffer())).metadata();
    expect([meta.width, meta.height]).toEqual([400, 400]);
  });

  test("an animated GIF avatar stays animated with a still avatar_static", async () => {
    // Three differently coloured 64×64 frames.
    const raw = Buffer.alloc(64 * 192 * 4);
    for (let i = 0; i < raw.length; i += 4) {
      const frame = Math.floor(i / 4 / 64 / 64);
      raw.set([frame === 0 ? 255 : 0, frame === 1 ? 255 : 0, frame === 2 ? 255 : 0, 255], i);
    }
    const multi = await sharp(raw, { raw: { width: 64, height: 192, channels: 4, pageHeight: 64 } }).gif().toBuffer();
    const form = new FormData();
    form.set("avatar", new File([multi], "a.gif", { type: "image/gif" }));
    const res = await call("PATCH", "/api/v1/accounts/update_credentials", form);
    expect(res.status).toBe(200);
    expect(res.json.avatar).toEndWith(".gif");
    expect(res.json.avatar_static).toEndWith("-static.png");
    const meta = await sharp(Buffer.from(await (await fetch(res.json.avatar)).arrayBuffer()), { animated: true }).metadata();
    expect(meta.pages).toBe(3);
  });

  test("bad updates answer 422", async () => {
    const long = await call("PATCH", "/api/v1/accounts/update_credentials", { display_name: "x".repeat(31) });
    expect(long.status).toBe(422);
    expect(long.json.error).toContain("Display name is too long");
    const form = new FormData();
    form.set("avatar", new File([new TextEncoder().encode("not an image")], "x.png", { type: "image/png" }));
    const bad = await call("PATCH", "/api/v1/accounts/update_credentials", form);
    expect(bad.status).toBe(422);
    const privacy = await call("PATCH", "/api/v1/accounts/update_credentials", { source: { privacy: "secret" } });
    expect(privacy.status).toBe(422);
    const fields = await call("PATCH", "/api/v1/accounts/update_credentials", { fields_attributes: Array.from({ length: 5 }, (_, i) => ({ name: `n${i}`, value: "v" })) });
    expect(fields.status).toBe(422);
    expect((await call("PATCH", "/api/v1/accounts/update_credentials", { locked: "maybe" })).status).toBe(422);
  });
});

describe("reading accounts", () => {
  test("by id and by handle, without a token; unknown ids are 404", async () => {
    const anon = api(server.url);
    const res = await anon("GET", `/api/v1/accounts/${ownerId}`);
    expect(res.status).toBe(200);
    expectEntity("Account", res.json);
    expect(res.json.source).toBeUndefined();
    const remote = insertRemoteAccount(server, "carol", "remote.example");
    expect((await anon("GET", "/api/v1/accounts/lookup?acct=alice")).json.id).toBe(ownerId);
    expect((await anon("GET", `/api/v1/accounts/lookup?acct=alice@${server.config.accountDomain}`)).json.id).toBe(ownerId);
    const carol = await anon("GET", "/api/v1/accounts/lookup?acct=@Carol@remote.example");
    expect(carol.json).toMatchObject({ id: remote.id, acct: "carol@remote.example", url: "https://remote.example/@carol" });
    expectEntity("Account", carol.json);
    expect((await anon("GET", "/api/v1/accounts/lookup?acct=nobody")).status).toBe(404);
    const missing = await anon("GET", "/api/v1/accounts/123456789");
    expectEntity("Error", missing.json);
    expect(missing.json).toEqual({ error: "Record not found" });
    expect((await anon("GET", "/api/v1/accounts/not-an-id")).status).toBe(404);
    const many = await anon("GET", `/api/v1/accounts?id[]=${ownerId}&id[]=${remote.id}&id[]=999`);
    expect(many.json.map((a: { id: string }) => a.id)).toEqual([ownerId, remote.id]);
  });
});

describe("relationships", () => {
  test("follow a remote account: requested until accepted; unfollow", async () => {
    const dave = insertRemoteAccount(server, "dave");
    const follow = await call("POST", `/api/v1/accounts/${dave.id}/follow`, { reblogs: false, languages: ["en"] });
    expect(follow.status).toBe(200);
    expectEntity("Relationship", follow.json);
    expect(follow.json).toMatchObject({ id: dave.id, following: false, requested: true, showing_reblogs: false, languages: ["en"] });
    const rel = await call("GET", `/api/v1/accounts/relationships?id[]=${dave.id}`);
    expectEntities("Relationship", rel.json);
    expect(rel.json[0].requested).toBe(true);
    const unfollow = await call("POST", `/api/v1/accounts/${dave.id}/unfollow`);
    expect(unfollow.json).toMatchObject({ following: false, requested: false });
    expect((await call("POST", `/api/v1/accounts/${ownerId}/follow`)).status).toBe(403);
    expect((await call("POST", "/api/v1/accounts/42/follow")).status).toBe(404);
  });

  test("an incoming follow request is listed, authorized and counted", async () => {
    const erin = insertRemoteAccount(server, "erin");
    insertIncomingFollowRequest(server, erin.id, ownerId);
    const list = await call("GET", "/api/v1/follow_requests");
    expectEntities("Account", list.json);
    expect(list.json.map((a: { id: string }) => a.id)).toEqual([erin.id]);
    expect((await call("GET", "/api/v1/accounts/verify_credentials")).json.source.follow_requests_count).toBe(1);
    const ok = await call("POST", `/api/v1/follow_requests/${erin.id}/authorize`);
    expect(ok.json).toMatchObject({ followed_by: true, requested_by: false });
    const me = await call("GET", "/api/v1/accounts/verify_credentials");
    expect(me.json.followers_count).toBe(1);
    const followers = await api(server.url)("GET", `/api/v1/accounts/${ownerId}/followers`);
    expect(followers.json.map((a: { id: string }) => a.id)).toEqual([erin.id]);
    expect(followers.headers.get("link")).toContain('rel="next"');
    // The owner follows frank, who follows erin: frank is a familiar follower of erin.
    const frank = insertRemoteAccount(server, "frank");
    insertFollow(server, ownerId, frank.id);
    insertFollow(server, frank.id, erin.id);
    const familiar = await call("GET", `/api/v1/accounts/familiar_followers?id[]=${erin.id}`);
    expectEntities("FamiliarFollowers", familiar.json);
    expect(familiar.json).toEqual([{ id: erin.id, accounts: [expect.objectContaining({ id: frank.id })] }]);
    const removed = await call("POST", `/api/v1/accounts/${erin.id}/remove_from_followers`);
    expect(removed.json.followed_by).toBe(false);
  });

  test("mute (with duration), block, note, and their lists page with Link headers", async () => {
    const targets = [insertRemoteAccount(server, "m1"), insertRemoteAccount(server, "m2"), insertRemoteAccount(server, "m3")];
    for (const t of targets) expect((await call("POST", `/api/v1/accounts/${t.id}/mute`, { notifications: false, duration: t === targets[0] ? 3600 : 0 })).json.muting).toBe(true);
    const page1 = await call("GET", "/api/v1/mutes?limit=2");
    expectEntities("MutedAccount", page1.json);
    expect(page1.json.map((a: { id: string }) => a.id)).toEqual([targets[2]!.id, targets[1]!.id]);
    const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get("link")!)![1]!;
    const page2 = await call("GET", new URL(next).pathname + new URL(next).search);
    expect(page2.json.map((a: { id: string }) => a.id)).toEqual([targets[0]!.id]);
    expect(page2.json[0].mute_expires_at).toMatch(/^\d{4}-/);
    const prev = /<([^>]+)>; rel="prev"/.exec(page2.headers.get("link")!)![1]!;
    const back = await call("GET", new URL(prev).pathname + new URL(prev).search);
    expect(back.json.map((a: { id: string }) => a.id)).toEqual([targets[2]!.id, targets[1]!.id]);
    expect((await call("POST", `/api/v1/accounts/${targets[0]!.id}/unmute`)).json.muting).toBe(false);

    const blocked = await call("POST", `/api/v1/accounts/${targets[1]!.id}/block`);
    expect(blocked.json.blocking).toBe(true);
    expect((await call("GET", "/api/v1/blocks")).json.map((a: { id: string }) => a.id)).toEqual([targets[1]!.id]);
    expect((await call("POST", `/api/v1/accounts/${targets[1]!.id}/follow`)).status).toBe(403);
    expect((await call("POST", `/api/v1/accounts/${targets[1]!.id}/unblock`)).json.blocking).toBe(false);

    const noted = await call("POST", `/api/v1/accounts/${targets[2]!.id}/note`, { comment: "met at the tea party" });
    expect(noted.json.note).toBe("met at the tea party");
    expect((await call("POST", `/api/v1/accounts/${targets[2]!.id}/note`, { comment: "" })).json.note).toBe("");
  });

  test("write scopes are enforced per action", async () => {
    const reader = api(server.url, (await authorize(server.url, "read")).token);
    const target = insertRemoteAccount(server, "scoped");
    expect((await reader("POST", `/api/v1/accounts/${target.id}/follow`)).status).toBe(403);
    const follower = api(server.url, (await authorize(server.url, "follow")).token);
    expect((await follower("POST", `/api/v1/accounts/${target.id}/block`)).status).toBe(200);
    expect((await follower("GET", "/api/v1/blocks")).status).toBe(200);
    expect((await follower("GET", "/api/v1/accounts/verify_credentials")).status).toBe(403);
  });
});
