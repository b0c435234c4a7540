import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { findOwner } from "../../src/domain/accounts/owner.ts";
import { receiveFollow } from "../../src/domain/accounts/relationships.ts";
import { notifyNewStatus } from "../../src/domain/notifications/notify.ts";
import { favouriteStatus, reblogStatus } from "../../src/domain/statuses/interactions.ts";
import { insertRemoteAccount, insertRemoteStatus } from "../helpers/fixtures.ts";
import { api, authorize } from "../helpers/oauth.ts";
import { expectEntities, expectEntity } from "../helpers/schema.ts";
import { startTestServerWithOwner, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let call: ReturnType<typeof api>;
let ownerId: string;
let statusId: string;
let fans: ReturnType<typeof insertRemoteAccount>[];
beforeAll(async () => {
  server = await startTestServerWithOwner();
  call = api(server.url, (await authorize(server.url)).token);
  ownerId = findOwner(server.ctx.storage)!.account.id;
  statusId = (await call("POST", "/api/v1/statuses", { status: "notice me" })).json.id;
  fans = [insertRemoteAccount(server, "fan1"), insertRemoteAccount(server, "fan2"), insertRemoteAccount(server, "fan3")];
  // What federation will do when these arrive: two Likes, an Announce, a Follow and a mention.
  favouriteStatus(server.ctx, fans[0]!.id, statusId, { uri: "https://remote.example/likes/1" });
  favouriteStatus(server.ctx, fans[1]!.id, statusId, { uri: "https://remote.example/likes/2" });
  reblogStatus(server.ctx, fans[2]!.id, statusId, "public", { uri: "https://remote.example/announces/1" });
  receiveFollow(server.ctx, fans[0]!.id, ownerId);
  const mention = insertRemoteStatus(server, fans[1]!, { text: "@alice hello", mentionIds: [ownerId] });
  notifyNewStatus(server.ctx, mention.id);
});
afterAll(() => server.close());

const types = (list: { type: string }[]) => list.map((n) => n.type);

describe("notifications v1", () => {
  test("lists every notification, newest first, with accounts and statuses", async () => {
    const res = await call("GET", "/api/v1/notifications");
    expect(res.status).toBe(200);
    expectEntities("Notification", res.json);
    expect(types(res.json)).toEqual(["mention", "follow", "reblog", "favourite", "favourite"]);
    expect(res.json[3]).toMatchObject({ account: { acct: "fan2@remote.example" }, status: { id: statusId, favourites_count: 2 }, group_key: `favourite-${statusId}` });
    expect(res.json[1].status).toBeUndefined();
  });

  test("types, exclude_types and account_id filter", async () => {
    expect(types((await call("GET", "/api/v1/notifications?types[]=favourite&types[]=follow")).json)).toEqual(["follow", "favourite", "favourite"]);
    expect(types((await call("GET", "/api/v1/notifications?exclude_types[]=favourite&exclude_types[]=reblog")).json)).toEqual(["mention", "follow"]);
    expect(types((await call("GET", `/api/v1/notifications?account_id=${fans[0]!.id}`)).json)).toEqual(["follow", "favourite"]);
  });

  test("pages with Link, one by id, unread count against the marker, dismiss", async () => {
    const first = await call("GET", "/api/v1/notifications?limit=2");
    expect(first.json).toHaveLength(2);
    expect(first.headers.get("link")).toContain("max_id=");
    const one = await call("GET", `/api/v1/notifications/${first.json[0].id}`);
    expect(one.json.id).toBe(first.json[0].id);
    expect((await call("GET", "/api/v1/notifications/unread_count")).json).toEqual({ count: 5 });
    await call("POST", "/api/v1/markers", { notifications: { last_read_id: first.json[1].id } });
    expect((await call("GET", "/api/v1/notifications/unread_count")).json).toEqual({ count: 1 });
    expect((await call("POST", `/api/v1/notifications/${first.json[0].id}/dismiss`)).status).toBe(200);
    expect((await call("GET", `/api/v1/notifications/${first.json[0].id}`)).status).toBe(404);
    expect((await api(server.url, (await authorize(server.url, "read:statuses")).token)("GET", "/api/v1/notifications")).status).toBe(403);
  });
});

describe("grouped notifications v2", () => {
  test("favourites of one status form one group; follows group; others stand alone", async () => {
    const res = await call("GET", "/api/v2/notifications");
    expect(res.status).toBe(200);
    expectEntity("GroupedNotificationsResults", res.json);
    const groups = res.json.notification_groups;
    expect(groups.map((g: { type: string }) => g.type)).toEqual(["follow", "reblog", "favourite"]);
    const fav = groups.find((g: { type: string }) => g.type === "favourite");
    expect(fav).toMatchObject({ group_key: `favourite-${statusId}`, notifications_count: 2, status_id: statusId });
    expect(fav.sample_account_ids.sort()).toEqual([fans[0]!.id, fans[1]!.id].sort());
    expect(res.json.statuses.map((s: { id: string }) => s.id)).toEqual([statusId]);
    expect(res.json.accounts.length).toBe(3);
    const accounts = await call("GET", `/api/v2/notifications/${fav.group_key}/accounts`);
    expect(accounts.json.length).toBe(2);
    const single = await call("GET", `/api/v2/notifications/${fav.group_key}`);
    expect(single.json.notification_groups[0].notifications_count).toBe(2);
    await call("POST", "/api/v1/markers", { notifications: { last_read_id: "1" } });
    // follow, reblog and two favourites (the mention was dismissed above): three groups, four ungrouped.
    expect((await call("GET", "/api/v2/notifications/unread_count")).json).toEqual({ count: 3 });
    expect((await call("GET", "/api/v2/notifications/unread_count?grouped_types[]=follow")).json).toEqual({ count: 4 });
    expect((await call("POST", `/api/v2/notifications/${fav.group_key}/dismiss`)).status).toBe(200);
    expect((await call("GET", `/api/v2/notifications/${fav.group_key}`)).status).toBe(404);
  });

  test("clear removes everything", async () => {
    expect((await call("POST", "/api/v1/notifications/clear")).json).toEqual({});
    expect((await call("GET", "/api/v1/notifications")).json).toEqual([]);
  });

  test("muting an account with notifications stops its notifications", async () => {
    await call("POST", `/api/v1/accounts/${fans[2]!.id}/mute`, { notifications: true });
    favouriteStatus(server.ctx, fans[2]!.id, statusId);
    expect((await call("GET", "/api/v1/notifications")).json).toEqual([]);
  });
});
