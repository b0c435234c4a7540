import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { insertFollow, insertRemoteAccount, insertRemoteStatus } from "../helpers/fixtures.ts";
import { expectEntities, expectEntity } from "../helpers/schema.ts";
import type { ApiClient } from "../helpers/oauth.ts";
import { startApiSession, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let call: ApiClient;
let anon: ApiClient;
let ownerId: string;
beforeAll(async () => {
  ({ server, call, anon, ownerId } = await startApiSession());
});
afterAll(() => server.close());

const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe("hashtags", () => {
  test("tag lookup with history; follow brings public posts with the tag into home", async () => {
    await call("POST", "/api/v1/statuses", { status: "I love #Gardening" });
    const tag = await anon("GET", "/api/v1/tags/gardening");
    expectEntity("Tag", tag.json);
    expect(tag.json).toMatchObject({ name: "Gardening", url: `${server.url}/tags/gardening` });
    expect(tag.json.history).toHaveLength(7);
    expect(tag.json.history[0]).toMatchObject({ uses: "1", accounts: "1" });
    expect((await anon("GET", "/api/v1/tags/nothing-here")).status).toBe(404);

    const stranger = insertRemoteAccount(server, "gardener");
    const before = insertRemoteStatus(server, stranger, { text: "#gardening before", tags: ["gardening"] });
    const followed = await call("POST", "/api/v1/tags/gardening/follow");
    expect(followed.json.following).toBe(true);
    // Statuses arriving after the follow come home; earlier ones are not backfilled, as in Mastodon.
    const after = insertRemoteStatus(server, stranger, { text: "#gardening tips", tags: ["gardening"] });
    const untagged = insertRemoteStatus(server, stranger, { text: "no tag here" });
    const home = ids((await call("GET", "/api/v1/timelines/home?limit=40")).json);
    expect(home).toContain(after.id);
    expect(home).not.toContain(before.id);
    expect(home).not.toContain(untagged.id);
    const list = await call("GET", "/api/v1/followed_tags");
    expectEntities("Tag", list.json);
    expect(list.json.map((t: { name: string }) => t.name)).toEqual(["Gardening"]);
    expect((await call("POST", "/api/v1/tags/brand_new/follow")).json).toMatchObject({ name: "brand_new", following: true });
    expect((await call("POST", "/api/v1/tags/not a tag!/follow")).status).toBe(422);
    expect((await call("POST", "/api/v1/tags/gardening/unfollow")).json.following).toBe(false);
  });

  test("featured tags count the owner's public uses", async () => {
    const featured = await call("POST", "/api/v1/featured_tags", { name: "#gardening" });
    expectEntity("FeaturedTag", featured.json);
    expect(featured.json).toMatchObject({ name: "Gardening", statuses_count: "1", url: `${server.url}/@alice/tagged/gardening` });
    expect(featured.json.last_status_at).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(ids((await anon("GET", `/api/v1/accounts/${ownerId}/featured_tags`)).json)).toEqual([featured.json.id]);
    expect((await call("GET", "/api/v1/featured_tags/suggestions")).json.map((t: { name: string }) => t.name)).toContain("Gardening");
    expect((await call("DELETE", `/api/v1/featured_tags/${featured.json.id}`)).json).toEqual({});
    expect((await call("GET", "/api/v1/featured_tags")).json).toEqual([]);
  });
});

describe("search", () => {
  test("accounts, hashtags and statuses; statuses only when signed in", async () => {
    insertRemoteAccount(server, "searchable", "far.example", { displayName: "Findable Person" });
    const post = (await call("POST", "/api/v1/statuses", { status: "a unique phrase about zebras" })).json;
    const res = await call("GET", "/api/v2/search?q=zebras");
    expectEntity("Search", res.json);
    expect(ids(res.json.statuses)).toEqual([post.id]);
    const byUrl = await call("GET", `/api/v2/search?q=${encodeURIComponent(post.url)}&type=statuses`);
    expect(ids(byUrl.json.statuses)).toEqual([post.id]);
    expect((await anon("GET", "/api/v2/search?q=zebras")).json.statuses).toEqual([]);
    const people = await anon("GET", "/api/v2/search?q=findable&type=accounts");
    expect(people.json.accounts.map((a: { acct: string }) => a.acct)).toEqual(["searchable@far.example"]);
    expect((await anon("GET", "/api/v2/search?q=@searchable@far.example")).json.accounts[0].acct).toBe("searchable@far.example");
    const tags = await anon("GET", "/api/v2/search?q=%23garden&type=hashtags");
    expect(tags.json.hashtags.map((t: { name: string }) => t.name)).toEqual(["Gardening"]);
    expect((await anon("GET", "/api/v2/search?q=100%25")).status).toBe(200);
    expect((await anon("GET", "/api/v2/search")).status).toBe(422);
    const v1 = await call("GET", "/api/v1/accounts/search?q=ali");
    expectEntities("Account", v1.json);
    expect(v1.json[0].id).toBe(ownerId);
  });
});

describe("conversations", () => {
  test("direct messages group by conversation; read and hide", async () => {
    const pen = insertRemoteAccount(server, "penpal");
    insertFollow(server, ownerId, pen.id);
    const incoming = insertRemoteStatus(server, pen, { text: "@alice psst", visibility: "direct", mentionIds: [ownerId] });
    const list = await call("GET", "/api/v1/conversations");
    expectEntities("Conversation", list.json);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ id: incoming.id, unread: true, accounts: [{ id: pen.id }], last_status: { id: incoming.id } });
    const read = await call("POST", `/api/v1/conversations/${incoming.id}/read`);
    expect(read.json.unread).toBe(false);
    const reply = (await call("POST", "/api/v1/statuses", { status: "@penpal@remote.example hi back", visibility: "direct", in_reply_to_id: incoming.id })).json;
    const after = await call("GET", "/api/v1/conversations");
    expect(after.json[0]).toMatchObject({ id: incoming.id, unread: false, last_status: { id: reply.id } });
    expect((await call("DELETE", `/api/v1/conversations/${incoming.id}`)).json).toEqual({});
    expect((await call("GET", "/api/v1/conversations")).json).toEqual([]);
    expect((await call("POST", "/api/v1/conversations/999/read")).status).toBe(404);
  });
});
