import { afterAll, beforeAll, expect, test } from "bun:test";
import { favouriteStatus } from "../../src/domain/statuses/interactions.ts";
import { insertFollow, insertRemoteAccount, insertRemoteStatus } from "../helpers/fixtures.ts";
import { expectEntities, expectEntity } from "../helpers/schema.ts";
import type { ApiClient } from "../helpers/oauth.ts";
import { startApiSession, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let call: ApiClient;
let ownerId: string;
beforeAll(async () => {
  ({ server, call, ownerId } = await startApiSession());
});
afterAll(() => server.close());

const ids = (list: { id: string }[]) => list.map((x) => x.id);

test("filter CRUD with Rails-style keyword attributes", async () => {
  const form = new URLSearchParams([
    ["title", "Spoilers"],
    ["context[]", "home"],
    ["context[]", "public"],
    ["filter_action", "warn"],
    ["keywords_attributes[0][keyword]", "finale"],
    ["keywords_attributes[0][whole_word]", "true"],
    ["keywords_attributes[1][keyword]", "spoil"],
    ["keywords_attributes[1][whole_word]", "0"],
  ]);
  const created = await call("POST", "/api/v2/filters", form);
  expect(created.status).toBe(200);
  expectEntity("Filter", created.json);
  expect(created.json).toMatchObject({ title: "Spoilers", context: ["home", "public"], filter_action: "warn", expires_at: null });
  expect(created.json.keywords.map((k: { keyword: string; whole_word: boolean }) => [k.keyword, k.whole_word])).toEqual([["finale", true], ["spoil", false]]);
  const id = created.json.id;
  const kw = created.json.keywords[1].id;
  const updated = await call("PUT", `/api/v2/filters/${id}`, { expires_in: 3600, keywords_attributes: [{ id: kw, _destroy: true }, { keyword: "ending" }] });
  expect(updated.json.keywords.map((k: { keyword: string }) => k.keyword)).toEqual(["finale", "ending"]);
  expect(updated.json.expires_at).not.toBeNull();
  const added = await call("POST", `/api/v2/filters/${id}/keywords`, { keyword: "twist", whole_word: false });
  expectEntity("FilterKeyword", added.json);
  expect((await call("GET", `/api/v2/filters/keywords/${added.json.id}`)).json.keyword).toBe("twist");
  expect((await call("DELETE", `/api/v2/filters/keywords/${added.json.id}`)).json).toEqual({});
  expectEntities("FilterKeyword", (await call("GET", `/api/v2/filters/${id}/keywords`)).json);
  expect((await call("POST", "/api/v2/filters", { title: "x", context: ["everywhere"] })).status).toBe(422);
  expect((await call("POST", "/api/v2/filters", { title: "x" })).status).toBe(422);
  expect((await call("DELETE", `/api/v2/filters/${id}`)).json).toEqual({});
  expect((await call("GET", `/api/v2/filters/${id}`)).status).toBe(404);
});

test("filters apply to timelines and notifications: warn marks, hide drops", async () => {
  const bob = insertRemoteAccount(server, "bobf");
  insertFollow(server, ownerId, bob.id);
  const spoiler = insertRemoteStatus(server, bob, { text: "The finale was wild" });
  const partial = insertRemoteStatus(server, bob, { text: "finales are fun" });
  const hidden = insertRemoteStatus(server, bob, { text: "buy crypto now" });
  const plain = insertRemoteStatus(server, bob, { text: "nice weather" });
  const warn = (await call("POST", "/api/v2/filters", { title: "Shows", context: ["home", "notifications"], filter_action: "warn", keywords_attributes: [{ keyword: "finale", whole_word: true }] })).json;
  await call("POST", "/api/v2/filters", { title: "Spam", context: ["home"], filter_action: "hide", keywords_attributes: [{ keyword: "crypto" }] });
  const statusFilter = await call("POST", `/api/v2/filters/${warn.id}/statuses`, { status_id: plain.id });
  expectEntity("FilterStatus", statusFilter.json);

  const home = (await call("GET", "/api/v1/timelines/home?limit=40")).json;
  expectEntities("Status", home);
  expect(ids(home)).not.toContain(hidden.id);
  const byId = new Map(home.map((s: { id: string }) => [s.id, s]));
  const marked = (byId.get(spoiler.id) as { filtered: { filter: { title: string }; keyword_matches: string[] }[] }).filtered;
  expect(marked).toHaveLength(1);
  expect(marked[0]).toMatchObject({ filter: { title: "Shows" }, keyword_matches: ["finale"], status_matches: null });
  expectEntity("FilterResult", marked[0]);
  expect((byId.get(partial.id) as { filtered: unknown[] }).filtered).toEqual([]); // whole word only
  expect((byId.get(plain.id) as { filtered: { status_matches: string[] }[] }).filtered[0]!.status_matches).toEqual([statusFilter.json.id]);
  // The public timeline is not one of these filters' contexts.
  expect(ids((await call("GET", "/api/v1/timelines/public?limit=40")).json)).toContain(hidden.id);

  const mine = (await call("POST", "/api/v1/statuses", { status: "what a finale" })).json;
  favouriteStatus(server.ctx, bob.id, mine.id);
  const own = (await call("GET", "/api/v1/notifications")).json;
  expect(own[0].status.filtered).toEqual([]); // the owner's own posts are never filtered
  await call("POST", "/api/v2/filters", { title: "Hide finales in notifications", context: ["notifications"], filter_action: "hide", keywords_attributes: [{ keyword: "wild" }] });
  const remoteMention = insertRemoteStatus(server, bob, { text: "@alice wild times", mentionIds: [ownerId] });
  const { notifyNewStatus } = await import("../../src/domain/notifications/notify.ts");
  notifyNewStatus(server.ctx, remoteMention.id);
  const notes = (await call("GET", "/api/v1/notifications")).json;
  expect(notes.map((n: { type: string }) => n.type)).toEqual(["favourite"]);
});
