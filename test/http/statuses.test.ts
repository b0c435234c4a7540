import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import sharp from "sharp";
import { insertFollow, insertRemoteAccount, insertRemoteStatus } from "../helpers/fixtures.ts";
import { api, authorize, type ApiClient } from "../helpers/oauth.ts";
import { expectEntities, expectEntity } from "../helpers/schema.ts";
import { startApiSession, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let call: ApiClient;
let anon: ApiClient;
let ownerId: string;
beforeAll(async () => {
  ({ server, call, anon, ownerId } = await startApiSession());
});
afterAll(() => server.close());

const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) => call("POST", "/api/v1/statuses", body, headers);
const ids = (list: { id: string }[]) => list.map((s) => s.id);
const follow = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

describe("posting", () => {
  test("a status with a content warning, language and visibility", async () => {
    const res = await post({ status: "Hello #fediverse, see https://example.com", spoiler_text: "greeting", visibility: "unlisted", language: "en" });
    expect(res.status).toBe(200);
    expectEntity("Status", res.json);
    expect(res.json).toMatchObject({
      spoiler_text: "greeting",
      visibility: "unlisted",
      language: "en",
      sensitive: false,
      application: { name: "Test App", website: "https://app.example" },
      account: { id: ownerId, acct: "alice" },
      tags: [{ name: "fediverse", url: `${server.url}/tags/fediverse` }],
      favourited: false,
      reblogged: false,
      bookmarked: false,
      pinned: false,
      in_reply_to_id: null,
      reblog: null,
      poll: null,
    });
    expect(res.json.content).toStartWith("<p>Hello <a href=");
    expect(res.json.url).toBe(`${server.url}/@alice/${res.json.id}`);
    expect(res.json.uri).toBe(`${server.url}/users/alice/statuses/${res.json.id}`);
    const again = await anon("GET", `/api/v1/statuses/${res.json.id}`);
    expectEntity("Status", again.json);
    expect(again.json.favourited).toBeUndefined();
  });

  test("form-encoded posts with Rails-style arrays, and the Idempotency-Key", async () => {
    const body = new URLSearchParams({ status: "a poll", "poll[options][]": "tea", "poll[expires_in]": "3600", "poll[multiple]": "1" });
    body.append("poll[options][]", "coffee");
    const first = await call("POST", "/api/v1/statuses", body, { "idempotency-key": "abc-123" });
    expect(first.status).toBe(200);
    expectEntity("Poll", first.json.poll);
    expect(first.json.poll).toMatchObject({ multiple: true, expired: false, votes_count: 0, options: [{ title: "tea", votes_count: 0 }, { title: "coffee", votes_count: 0 }], voted: true, own_votes: [] });
    const second = await call("POST", "/api/v1/statuses", body, { "idempotency-key": "abc-123" });
    expect(second.json.id).toBe(first.json.id);
    const third = await call("POST", "/api/v1/statuses", body, { "idempotency-key": "other" });
    expect(third.json.id).not.toBe(first.json.id);
  });

  test("bad posts answer 422, unknown replies 404, missing tokens 401, read tokens 403", async () => {
    expect((await post({ status: "  " })).json).toEqual({ error: "Validation failed: Text can't be blank" });
    const long = await post({ status: "x".repeat(501) });
    expect(long.status).toBe(422);
    expect(long.json.error).toBe("Validation failed: Text character limit of 500 exceeded");
    // URLs count as 23: this is well under 500.
    expect((await post({ status: `https://example.com/${"y".repeat(600)}` })).status).toBe(200);
    expect((await post({ status: "x", visibility: "secret" })).status).toBe(422);
    expect((await post({ status: "x", poll: { options: ["only one"], expires_in: 3600 } })).status).toBe(422);
    expect((await post({ status: "x", poll: { options: ["a", "b"], expires_in: 10 } })).status).toBe(422);
    expect((await post({ status: "x", in_reply_to_id: "123456" })).status).toBe(404);
    expect((await post({ status: "x", sensitive: "perhaps" })).status).toBe(422);
    expect((await post({ status: "x", scheduled_at: "2020-01-01T00:00:00Z" })).status).toBe(422);
    expect((await anon("POST", "/api/v1/statuses", { status: "x" })).status).toBe(401);
    const reader = api(server.url, (await authorize(server.url, "read")).token);
    const denied = await reader("POST", "/api/v1/statuses", { status: "x" });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ error: "This action is outside the authorized scopes" });
    expect((await anon("GET", "/api/v1/statuses/99999")).json).toEqual({ error: "Record not found" });
  });

  test("each visibility is honoured for anonymous readers", async () => {
    const made: Record<string, string> = {};
    for (const visibility of ["public", "unlisted", "private", "direct"]) made[visibility] = (await post({ status: `a ${visibility} post`, visibility })).json.id;
    expect((await anon("GET", `/api/v1/statuses/${made.public!}`)).status).toBe(200);
    expect((await anon("GET", `/api/v1/statuses/${made.unlisted!}`)).status).toBe(200);
    expect((await anon("GET", `/api/v1/statuses/${made.private!}`)).status).toBe(404);
    expect((await anon("GET", `/api/v1/statuses/${made.direct!}`)).status).toBe(404);
    expect((await call("GET", `/api/v1/statuses/${made.direct!}`)).status).toBe(200);
    const pub = await anon("GET", "/api/v1/timelines/public?limit=40");
    expect(ids(pub.json)).toContain(made.public!);
    expect(ids(pub.json)).not.toContain(made.unlisted!);
    expect(ids(pub.json)).not.toContain(made.private!);
  });
});

describe("threads, edits and deletion", () => {
  test("replies build a context and count", async () => {
    const root = (await post({ status: "root" })).json;
    const reply = (await post({ status: "reply", in_reply_to_id: root.id })).json;
    const nested = (await post({ status: "nested", in_reply_to_id: reply.id })).json;
    const sibling = (await post({ status: "sibling", in_reply_to_id: root.id })).json;
    expect(reply).toMatchObject({ in_reply_to_id: root.id, in_reply_to_account_id: ownerId });
    expect((await call("GET", `/api/v1/statuses/${root.id}`)).json.replies_count).toBe(2);
    const context = await call("GET", `/api/v1/statuses/${reply.id}/context`);
    expectEntity("Context", context.json);
    expect(ids(context.json.ancestors)).toEqual([root.id]);
    expect(ids(context.json.descendants)).toEqual([nested.id]);
    const full = await anon("GET", `/api/v1/statuses/${root.id}/context`);
    expect(ids(full.json.descendants)).toEqual([reply.id, nested.id, sibling.id]);
  });

  test("edit keeps history; source gives the text", async () => {
    const original = (await post({ status: "first draft", spoiler_text: "" })).json;
    const edited = await call("PUT", `/api/v1/statuses/${original.id}`, { status: "second draft #edited", spoiler_text: "cw" });
    expect(edited.status).toBe(200);
    expectEntity("Status", edited.json);
    expect(edited.json.edited_at).not.toBeNull();
    expect(edited.json.spoiler_text).toBe("cw");
    const history = await call("GET", `/api/v1/statuses/${original.id}/history`);
    expectEntities("StatusEdit", history.json);
    expect(history.json.map((v: { content: string }) => v.content)).toEqual(["<p>first draft</p>", expect.stringContaining("second draft")]);
    const source = await call("GET", `/api/v1/statuses/${original.id}/source`);
    expectEntity("StatusSource", source.json);
    expect(source.json).toEqual({ id: original.id, text: "second draft #edited", spoiler_text: "cw" });
    const unedited = (await post({ status: "never edited" })).json;
    expect((await call("GET", `/api/v1/statuses/${unedited.id}/history`)).json).toHaveLength(1);
  });

  test("media: upload, describe, attach; delete & redraft reuses it", async () => {
    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#246" } }).png().toBuffer();
    const form = new FormData();
    form.set("file", new File([png], "photo.png", { type: "image/png" }));
    form.set("description", "a blue rectangle");
    form.set("focus", "0.5,-0.25");
    const media = await call("POST", "/api/v2/media", form);
    expect(media.status).toBe(200);
    expectEntity("MediaAttachment", media.json);
    expect(media.json).toMatchObject({ type: "image", description: "a blue rectangle", meta: { original: { width: 1200, height: 800 }, focus: { x: 0.5, y: -0.25 } } });
    expect((await fetch(media.json.url)).status).toBe(200);
    expect((await fetch(media.json.preview_url)).headers.get("content-type")).toBe("image/webp");
    const described = await call("PUT", `/api/v1/media/${media.json.id}`, { description: "a dark blue rectangle" });
    expect(described.json.description).toBe("a dark blue rectangle");
    const bad = new FormData();
    bad.set("file", new File([new TextEncoder().encode("%PDF-1.4")], "doc.pdf", { type: "application/pdf" }));
    expect((await call("POST", "/api/v2/media", bad)).status).toBe(422);

    const withMedia = await post({ status: "look", media_ids: [media.json.id], sensitive: true });
    expect(withMedia.json.media_attachments.map((m: { id: string }) => m.id)).toEqual([media.json.id]);
    expect(withMedia.json.sensitive).toBe(true);
    expect((await post({ status: "again", media_ids: [media.json.id] })).status).toBe(422);

    const deleted = await call("DELETE", `/api/v1/statuses/${withMedia.json.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json.text).toBe("look");
    expect(deleted.json.media_attachments[0].id).toBe(media.json.id);
    expect((await call("GET", `/api/v1/statuses/${withMedia.json.id}`)).status).toBe(404);
    const redraft = await post({ status: deleted.json.text, media_ids: [media.json.id] });
    expect(redraft.status).toBe(200);
  });
});

describe("interactions", () => {
  test("favourite, boost, bookmark, pin and mute, each reflected for the viewer", async () => {
    const status = (await post({ status: "interact with me" })).json;
    const fav = await call("POST", `/api/v1/statuses/${status.id}/favourite`);
    expect(fav.json).toMatchObject({ favourited: true, favourites_count: 1 });
    expect((await call("POST", `/api/v1/statuses/${status.id}/favourite`)).json.favourites_count).toBe(1);
    expect(ids((await anon("GET", `/api/v1/statuses/${status.id}/favourited_by`)).json)).toEqual([ownerId]);

    const boost = await call("POST", `/api/v1/statuses/${status.id}/reblog`, { visibility: "public" });
    expectEntity("Status", boost.json);
    expect(boost.json.reblog).toMatchObject({ id: status.id, reblogged: true, reblogs_count: 1 });
    expect(boost.json.reblogged).toBe(true);
    expect(ids((await anon("GET", `/api/v1/statuses/${status.id}/reblogged_by`)).json)).toEqual([ownerId]);
    expect((await call("POST", `/api/v1/statuses/${status.id}/reblog`)).json.id).toBe(boost.json.id);

    expect((await call("POST", `/api/v1/statuses/${status.id}/bookmark`)).json.bookmarked).toBe(true);
    expect(ids((await call("GET", "/api/v1/bookmarks")).json)).toContain(status.id);
    expect((await call("POST", `/api/v1/statuses/${status.id}/pin`)).json.pinned).toBe(true);
    expect(ids((await anon("GET", `/api/v1/accounts/${ownerId}/statuses?pinned=true`)).json)).toEqual([status.id]);
    expect((await call("POST", `/api/v1/statuses/${status.id}/mute`)).json.muted).toBe(true);
    expect((await call("GET", `/api/v1/favourites`)).json[0].id).toBe(status.id);

    const unboost = await call("POST", `/api/v1/statuses/${status.id}/unreblog`);
    expect(unboost.json).toMatchObject({ id: status.id, reblogged: false, reblogs_count: 0 });
    expect((await call("GET", `/api/v1/statuses/${boost.json.id}`)).status).toBe(404);
    expect((await call("POST", `/api/v1/statuses/${status.id}/unfavourite`)).json).toMatchObject({ favourited: false, favourites_count: 0 });
    expect((await call("POST", `/api/v1/statuses/${status.id}/unbookmark`)).json.bookmarked).toBe(false);
    expect((await call("POST", `/api/v1/statuses/${status.id}/unpin`)).json.pinned).toBe(false);
    expect((await call("POST", `/api/v1/statuses/${status.id}/unmute`)).json.muted).toBe(false);
    const card = await call("GET", `/api/v1/statuses/${status.id}/card`);
    expect(card.status).toBe(200);
    expect(card.json).toBeNull();
  });

  test("many at once, in the order asked", async () => {
    const a = (await post({ status: "a" })).json.id;
    const b = (await post({ status: "b" })).json.id;
    const res = await anon("GET", `/api/v1/statuses?id[]=${b}&id[]=404&id[]=${a}`);
    expect(ids(res.json)).toEqual([b, a]);
  });
});

describe("timelines", () => {
  test("home holds own posts, followed accounts' posts and boosts, mentions; collapses repeated boosts; hides muted", async () => {
    const bob = insertRemoteAccount(server, "bob");
    const carol = insertRemoteAccount(server, "carol2");
    const dan = insertRemoteAccount(server, "dan");
    const stranger = insertRemoteAccount(server, "stranger");
    insertFollow(server, ownerId, bob.id);
    insertFollow(server, ownerId, carol.id);
    const own = (await post({ status: "mine" })).json.id;
    const byBob = insertRemoteStatus(server, bob, { text: "from bob" });
    const privateByBob = insertRemoteStatus(server, bob, { text: "bob's followers only", visibility: "private" });
    const byStranger = insertRemoteStatus(server, stranger, { text: "not followed" });
    const mention = insertRemoteStatus(server, stranger, { text: "@alice hi", mentionIds: [ownerId] });
    const danPost = insertRemoteStatus(server, dan, { text: "boosted twice" });
    const boost1 = insertRemoteStatus(server, bob, { reblogOfId: danPost.id });
    const boost2 = insertRemoteStatus(server, carol, { reblogOfId: danPost.id });
    const home = await call("GET", "/api/v1/timelines/home?limit=40");
    expect(home.status).toBe(200);
    expectEntities("Status", home.json);
    const seen = ids(home.json);
    for (const id of [own, byBob.id, privateByBob.id, mention.id, boost1.id]) expect(seen).toContain(id);
    for (const id of [byStranger.id, boost2.id, danPost.id]) expect(seen).not.toContain(id);
    expect(home.json.find((s: { id: string }) => s.id === boost1.id).reblog.id).toBe(danPost.id);

    await call("POST", `/api/v1/accounts/${bob.id}/mute`);
    const muted = ids((await call("GET", "/api/v1/timelines/home?limit=40")).json);
    expect(muted).not.toContain(byBob.id);
    expect(muted).not.toContain(boost1.id);
    await call("POST", `/api/v1/accounts/${bob.id}/unmute`);

    // Turning bob's boosts off hides them; unfollowing bob takes his posts out, but not his mentions of me.
    await call("POST", `/api/v1/accounts/${bob.id}/follow`, { reblogs: false });
    expect(ids((await call("GET", "/api/v1/timelines/home?limit=40")).json)).not.toContain(boost1.id);
    const bobMention = insertRemoteStatus(server, bob, { text: "@alice still here", mentionIds: [ownerId] });
    await call("POST", `/api/v1/accounts/${bob.id}/unfollow`);
    const after = ids((await call("GET", "/api/v1/timelines/home?limit=40")).json);
    expect(after).not.toContain(byBob.id);
    expect(after).toContain(bobMention.id);
  });

  test("pages in both directions through Link headers", async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await post({ status: `page ${i} #paging` })).json.id);
    const first = await call("GET", "/api/v1/timelines/tag/paging?limit=2");
    expect(ids(first.json)).toEqual([made[4]!, made[3]!]);
    const link = first.headers.get("link")!;
    expect(link).toContain(`${server.url}/api/v1/timelines/tag/paging?limit=2&max_id=${made[3]!}>; rel="next"`);
    const next = /<([^>]+)>; rel="next"/.exec(link)![1]!;
    const second = await call("GET", follow(next));
    expect(ids(second.json)).toEqual([made[2]!, made[1]!]);
    const prev = /<([^>]+)>; rel="prev"/.exec(second.headers.get("link")!)![1]!;
    expect(ids((await call("GET", follow(prev))).json)).toEqual([made[4]!, made[3]!]);
    const since = await call("GET", `/api/v1/timelines/tag/paging?since_id=${made[1]!}&limit=2`);
    expect(ids(since.json)).toEqual([made[4]!, made[3]!]);
    const min = await call("GET", `/api/v1/timelines/tag/paging?min_id=${made[1]!}&limit=2`);
    expect(ids(min.json)).toEqual([made[3]!, made[2]!]);
    const any = await anon("GET", `/api/v1/timelines/tag/nothing?any[]=paging&none[]=nope&limit=1`);
    expect(ids(any.json)).toEqual([made[4]!]);
    const empty = await call("GET", "/api/v1/timelines/tag/never-used");
    expect(empty.json).toEqual([]);
    expect(empty.headers.get("link")).toBeNull();
  });

  test("account statuses filter replies, boosts and media", async () => {
    const stranger = insertRemoteAccount(server, "repliedto");
    const theirs = insertRemoteStatus(server, stranger, { text: "reply to me" });
    const replyToOther = (await post({ status: "@repliedto@remote.example sure", in_reply_to_id: theirs.id })).json.id;
    const plain = (await post({ status: "plain" })).json.id;
    const list = ids((await call("GET", `/api/v1/accounts/${ownerId}/statuses?exclude_replies=true&limit=40`)).json);
    expect(list).toContain(plain);
    expect(list).not.toContain(replyToOther);
    const media = (await call("GET", `/api/v1/accounts/${ownerId}/statuses?only_media=true&limit=40`)).json;
    expect(media.every((s: { media_attachments: unknown[] }) => s.media_attachments.length > 0)).toBe(true);
    expect((await anon("GET", "/api/v1/timelines/home")).status).toBe(401);
  });
});
