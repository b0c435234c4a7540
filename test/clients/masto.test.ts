// A whole session through real client libraries: masto.js drives it; megalodon logs in and reads home.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createOAuthAPIClient, createRestAPIClient, type mastodon } from "masto";
import generator from "megalodon";
import sharp from "sharp";
import { favouriteStatus } from "../../src/domain/statuses/interactions.ts";
import { receiveFollow } from "../../src/domain/accounts/relationships.ts";
import { pkceChallenge } from "../../src/oauth/secrets.ts";
import { insertRemoteAccount } from "../helpers/fixtures.ts";
import { openConsent, OWNER_PASSWORD, REDIRECT, submitConsent } from "../helpers/oauth.ts";
import { expectEntities, expectEntity } from "../helpers/schema.ts";
import { startTestServerWithOwner, type TestServer } from "../helpers/server.ts";

let server: TestServer;
beforeAll(async () => (server = await startTestServerWithOwner()));
afterAll(() => server.close());

/** What the user does in the browser: consent on the real page, get the code from the redirect. */
async function consent(clientId: string, scope: string, codeChallenge?: string): Promise<string> {
  const params: Record<string, string> = { response_type: "code", client_id: clientId, redirect_uri: REDIRECT, scope };
  if (codeChallenge) Object.assign(params, { code_challenge: codeChallenge, code_challenge_method: "S256" });
  const page = await openConsent(server.url, params);
  const res = await submitConsent(server.url, { ...params, csrf: page.csrf, password: OWNER_PASSWORD, decision: "approve" }, page.cookie);
  return new URL(res.headers.get("location")!).searchParams.get("code")!;
}

async function pages<T>(paginator: mastodon.Paginator<T[], any>, count: number): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of paginator) {
    out.push(page);
    if (out.length === count) break;
  }
  return out;
}

test("a full session with masto.js", async () => {
  const scopes = "read write follow push profile";
  const anonymous = createRestAPIClient({ url: server.url });
  const app = await anonymous.v1.apps.create({ clientName: "masto session", redirectUris: REDIRECT, scopes, website: "https://masto.example" });
  expect(app.clientId).toBeTruthy();

  const verifier = crypto.randomUUID() + crypto.randomUUID();
  const code = await consent(app.clientId!, scopes, pkceChallenge(verifier));
  const oauth = createOAuthAPIClient({ url: server.url });
  const token = await oauth.token.create({ grantType: "authorization_code", clientId: app.clientId!, clientSecret: app.clientSecret!, redirectUri: REDIRECT, code, codeVerifier: verifier } as never);
  const masto = createRestAPIClient({ url: server.url, accessToken: token.accessToken });

  const me = await masto.v1.accounts.verifyCredentials();
  expect(me.username).toBe("alice");

  // Profile with an avatar and fields (masto sends multipart with Rails-style keys).
  const avatar = await sharp({ create: { width: 500, height: 500, channels: 3, background: "#a52" } }).jpeg().toBuffer();
  const updated = await masto.v1.accounts.updateCredentials({
    displayName: "Alice (masto)",
    note: "Hello from masto.js",
    avatar: new Blob([avatar], { type: "image/jpeg" }),
    fieldsAttributes: [{ name: "Web", value: "https://alice.example" }],
  });
  expect(updated.displayName).toBe("Alice (masto)");
  expect(updated.avatar).toContain("/system/accounts/avatars/");
  expect(updated.fields[0]!.name).toBe("Web");

  // Posts: content warning, poll, reply, every visibility.
  const cw = await masto.v1.statuses.create({ status: "spoilers inside", spoilerText: "TV", visibility: "public" });
  expect(cw.spoilerText).toBe("TV");
  const poll = await masto.v1.statuses.create({ status: "tea or coffee?", poll: { options: ["tea", "coffee"], expiresIn: 3600 } });
  expect(poll.poll!.options.map((o) => o.title)).toEqual(["tea", "coffee"]);
  const reply = await masto.v1.statuses.create({ status: "replying to myself", inReplyToId: cw.id });
  expect(reply.inReplyToId).toBe(cw.id);
  for (const visibility of ["unlisted", "private", "direct"] as const) {
    expect((await masto.v1.statuses.create({ status: `a ${visibility} one`, visibility })).visibility).toBe(visibility);
  }

  // Edit and history.
  const edited = await masto.v1.statuses.$select(cw.id).update({ status: "spoilers inside (edited)", spoilerText: "TV" });
  expect(edited.editedAt).not.toBeNull();
  const history = await masto.v1.statuses.$select(cw.id).history.list();
  expect(history).toHaveLength(2);

  // Favourite, boost, bookmark, pin.
  expect((await masto.v1.statuses.$select(poll.id).favourite()).favourited).toBe(true);
  expect((await masto.v1.statuses.$select(poll.id).reblog()).reblog!.id).toBe(poll.id);
  expect((await masto.v1.statuses.$select(poll.id).bookmark()).bookmarked).toBe(true);
  expect((await masto.v1.statuses.$select(cw.id).pin()).pinned).toBe(true);

  // Timelines, paged both ways through Link headers.
  for (let i = 0; i < 4; i++) await masto.v1.statuses.create({ status: `#pagetest number ${i}` });
  const [first, second] = await pages(masto.v1.timelines.home.list({ limit: 3 }), 2);
  expect(first).toHaveLength(3);
  expect(second!.length).toBeGreaterThan(0);
  expect(BigInt(second![0]!.id) < BigInt(first![2]!.id)).toBe(true);
  const [tagFirst, tagSecond] = await pages(masto.v1.timelines.tag.$select("pagetest").list({ limit: 2 }), 2);
  expect(tagFirst!.map((s) => s.content)).toEqual([expect.stringContaining("number 3"), expect.stringContaining("number 2")]);
  expect(tagSecond!.map((s) => s.content)).toEqual([expect.stringContaining("number 1"), expect.stringContaining("number 0")]);
  const [newer] = await pages(masto.v1.timelines.tag.$select("pagetest").list({ limit: 2, minId: tagSecond![1]!.id }).setDirection("prev"), 1);
  expect(newer!.map((s) => s.content)).toEqual([expect.stringContaining("number 2"), expect.stringContaining("number 1")]);
  expect((await masto.v1.timelines.public.list({ limit: 40 })).some((s) => s.id === cw.id)).toBe(true);

  // Notifications from others (what federation will deliver), v1 and grouped v2.
  const fan = insertRemoteAccount(server, "mastofan");
  favouriteStatus(server.ctx, fan.id, poll.id);
  receiveFollow(server.ctx, fan.id, me.id);
  const notifications = await masto.v1.notifications.list();
  expect(notifications.map((n) => n.type)).toEqual(["follow", "favourite"]);
  const grouped = await masto.v2.notifications.list();
  expect(grouped.notificationGroups.map((g) => g.type)).toEqual(["follow", "favourite"]);

  // A filter hides a matching post from home.
  const spam = await masto.v1.statuses.create({ status: "limited offer, buy now" });
  expect((await masto.v1.timelines.home.list({ limit: 40 })).some((s) => s.id === spam.id)).toBe(true);
  await masto.v2.filters.create({ title: "Ads", context: ["home"], filterAction: "hide", keywordsAttributes: [{ keyword: "offer" }] });
  const filteredHome = await masto.v1.timelines.home.list({ limit: 40 });
  // The owner's own posts are never filtered, as in Mastodon; a followed account's would be gone.
  expect(filteredHome.find((s) => s.id === spam.id)?.filtered).toEqual([]);

  // Delete & redraft.
  const gone = await masto.v1.statuses.$select(reply.id).remove();
  expect(gone.text).toBe("replying to myself");
  const redrafted = await masto.v1.statuses.create({ status: gone.text!, inReplyToId: cw.id });
  expect(redrafted.content).toContain("replying to myself");

  // Revoke: the token stops working.
  await oauth.revoke({ clientId: app.clientId!, clientSecret: app.clientSecret!, token: token.accessToken });
  await expect(masto.v1.accounts.verifyCredentials()).rejects.toThrow();
});

test("megalodon registers, logs in and reads the home timeline", async () => {
  const client = generator("mastodon", server.url);
  const app = await client.registerApp("megalodon test", { scopes: ["read", "write"], redirect_uris: REDIRECT });
  const code = await consent(app.client_id, "read write");
  const token = await client.fetchAccessToken(app.client_id, app.client_secret, code, REDIRECT);
  const authed = generator("mastodon", server.url, token.access_token);
  await authed.postStatus("hello from megalodon", { visibility: "public" });
  const home = await authed.getHomeTimeline({ limit: 5 });
  expect(home.status).toBe(200);
  expect(home.data[0]!.content).toContain("hello from megalodon");
  const raw = await fetch(`${server.url}/api/v1/timelines/home?limit=5`, { headers: { authorization: `Bearer ${token.access_token}` } });
  expectEntities("Status", await raw.json());
  const instance = await authed.getInstance();
  expect(instance.data.uri).toBe(server.config.accountDomain);
  expectEntity("V1Instance", (await (await fetch(`${server.url}/api/v1/instance`)).json()));
});
