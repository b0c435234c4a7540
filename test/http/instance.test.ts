import { afterAll, beforeAll, expect, test } from "bun:test";
import { insertRemoteAccount } from "../helpers/fixtures.ts";
import { api, authorize } from "../helpers/oauth.ts";
import { expectEntity } from "../helpers/schema.ts";
import { startTestServerWithOwner, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let call: ReturnType<typeof api>;
const anon = () => api(server.url);
beforeAll(async () => {
  server = await startTestServerWithOwner();
  call = api(server.url, (await authorize(server.url)).token);
});
afterAll(() => server.close());

test("instance v2 describes this one-person server", async () => {
  const res = await anon()("GET", "/api/v2/instance");
  expect(res.status).toBe(200);
  expectEntity("Instance", res.json);
  expect(res.json).toMatchObject({
    domain: server.config.accountDomain,
    title: "Alice",
    registrations: { enabled: false },
    contact: { account: { username: "alice" } },
    configuration: {
      urls: { streaming: server.url.replace("http", "ws") },
      statuses: { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 },
      polls: { max_options: 4 },
    },
  });
  expect(res.json.version).toMatch(/^4\.5\.0 \(compatible; Roost /);
  expect(res.json.configuration.vapid.public_key).toHaveLength(87);
});

test("instance v1, peers, activity, rules, extended description", async () => {
  insertRemoteAccount(server, "peer", "b.example");
  insertRemoteAccount(server, "peer", "a.example");
  await call("POST", "/api/v1/statuses", { status: "counted" });
  const v1 = await anon()("GET", "/api/v1/instance");
  expectEntity("V1Instance", v1.json);
  expect(v1.json.stats).toEqual({ user_count: 1, status_count: 1, domain_count: 2 });
  expect((await anon()("GET", "/api/v1/instance/peers")).json).toEqual(["a.example", "b.example"]);
  const activity = (await anon()("GET", "/api/v1/instance/activity")).json;
  expect(activity).toHaveLength(12);
  expect(activity[0]).toMatchObject({ statuses: "1", logins: "1", registrations: "1" });
  expect(activity[1]).toMatchObject({ statuses: "0" });
  expect((await anon()("GET", "/api/v1/instance/rules")).json).toEqual([]);
  expectEntity("ExtendedDescription", (await anon()("GET", "/api/v1/instance/extended_description")).json);
  for (const path of ["/api/v1/custom_emojis", "/api/v1/trends/tags", "/api/v1/trends/statuses", "/api/v1/trends/links"]) {
    expect((await anon()("GET", path)).json).toEqual([]);
  }
  for (const path of ["/api/v1/announcements", "/api/v2/suggestions"]) {
    expect((await call("GET", path)).json).toEqual([]);
    expect((await anon()("GET", path)).status).toBe(401);
  }
});

test("preferences follow the owner's posting defaults", async () => {
  await call("PATCH", "/api/v1/accounts/update_credentials", { source: { privacy: "private", sensitive: true, language: "de" } });
  const prefs = await call("GET", "/api/v1/preferences");
  expectEntity("Preferences", prefs.json);
  expect(prefs.json).toMatchObject({ "posting:default:visibility": "private", "posting:default:sensitive": true, "posting:default:language": "de" });
  const posted = await call("POST", "/api/v1/statuses", { status: "defaults apply" });
  expect(posted.json).toMatchObject({ visibility: "private", sensitive: true, language: "de" });
});

test("markers are saved per timeline with a version", async () => {
  expect((await call("GET", "/api/v1/markers?timeline[]=home")).json).toEqual({});
  const saved = await call("POST", "/api/v1/markers", { home: { last_read_id: "103194548672408537" } });
  expectEntity("Marker", saved.json.home);
  expect(saved.json.home).toMatchObject({ last_read_id: "103194548672408537", version: 0 });
  const again = await call("POST", "/api/v1/markers", { home: { last_read_id: "103194548672408538" }, notifications: { last_read_id: "5" } });
  expect(again.json.home.version).toBe(1);
  const read = await call("GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications");
  expect(Object.keys(read.json).sort()).toEqual(["home", "notifications"]);
  expect((await call("POST", "/api/v1/markers", { home: { last_read_id: "not-an-id" } })).status).toBe(422);
});
