import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { statuses } from "../../src/db/schema.ts";
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

test("list CRUD, members, the list timeline and exclusive lists", async () => {
  const friend = insertRemoteAccount(server, "friend");
  const other = insertRemoteAccount(server, "other");
  const notFollowed = insertRemoteAccount(server, "nf");
  insertFollow(server, ownerId, friend.id);
  insertFollow(server, ownerId, other.id);

  const created = await call("POST", "/api/v1/lists", { title: "Friends", replies_policy: "list" });
  expect(created.status).toBe(200);
  expectEntity("List", created.json);
  expect(created.json).toMatchObject({ title: "Friends", replies_policy: "list", exclusive: false });
  const listId = created.json.id;
  expect((await call("POST", "/api/v1/lists", { title: " " })).status).toBe(422);
  expect((await call("POST", "/api/v1/lists", { title: "x", replies_policy: "everyone" })).status).toBe(422);

  expect((await call("POST", `/api/v1/lists/${listId}/accounts`, { account_ids: [friend.id] })).json).toEqual({});
  const refused = await call("POST", `/api/v1/lists/${listId}/accounts`, { account_ids: [notFollowed.id] });
  expect(refused.json).toEqual({ error: "Validation failed: Account has to be followed" });
  const members = await call("GET", `/api/v1/lists/${listId}/accounts`);
  expectEntities("Account", members.json);
  expect(ids(members.json)).toEqual([friend.id]);
  expect(ids((await call("GET", `/api/v1/accounts/${friend.id}/lists`)).json)).toEqual([listId]);

  const fromFriend = insertRemoteStatus(server, friend, { text: "friend post" });
  const fromOther = insertRemoteStatus(server, other, { text: "other post" });
  const replyToStranger = insertRemoteStatus(server, friend, { text: "reply", inReplyToId: insertRemoteStatus(server, notFollowed, { text: "x" }).id });
  server.ctx.storage.db.update(statuses).set({ inReplyToAccountId: notFollowed.id }).where(eq(statuses.id, replyToStranger.id)).run();
  const timeline = await call("GET", `/api/v1/timelines/list/${listId}`);
  expectEntities("Status", timeline.json);
  expect(ids(timeline.json)).toEqual([fromFriend.id]);

  expect(ids((await call("GET", "/api/v1/timelines/home?limit=40")).json)).toContain(fromFriend.id);
  const exclusive = await call("PUT", `/api/v1/lists/${listId}`, { exclusive: true, title: "Close friends" });
  expect(exclusive.json).toMatchObject({ title: "Close friends", exclusive: true });
  const home = ids((await call("GET", "/api/v1/timelines/home?limit=40")).json);
  expect(home).not.toContain(fromFriend.id);
  expect(home).toContain(fromOther.id);

  await call("POST", `/api/v1/accounts/${friend.id}/unfollow`);
  expect((await call("GET", `/api/v1/lists/${listId}/accounts`)).json).toEqual([]);
  expect((await call("GET", "/api/v1/lists")).json.map((l: { title: string }) => l.title)).toEqual(["Close friends"]);
  expect((await call("DELETE", `/api/v1/lists/${listId}`)).json).toEqual({});
  expect((await call("GET", `/api/v1/lists/${listId}`)).status).toBe(404);
  expect((await call("GET", `/api/v1/timelines/list/${listId}`)).status).toBe(404);
});
