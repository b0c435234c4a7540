// Bad input gets a clear 4xx, never a 500: malformed ids, parameters and bodies across every route shape.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startApiSession, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let token: string;
beforeAll(async () => ({ server, token } = await startApiSession()));
afterAll(() => server.close());

const PATHS = [
  "/api/v1/accounts/:id", "/api/v1/accounts/:id/statuses", "/api/v1/accounts/:id/followers", "/api/v1/accounts/:id/follow", "/api/v1/accounts/:id/mute",
  "/api/v1/accounts/:id/note", "/api/v1/accounts/lookup", "/api/v1/accounts/relationships", "/api/v1/accounts/update_credentials", "/api/v1/statuses",
  "/api/v1/statuses/:id", "/api/v1/statuses/:id/context", "/api/v1/statuses/:id/favourite", "/api/v1/statuses/:id/reblog", "/api/v1/statuses/:id/history",
  "/api/v1/polls/:id/votes", "/api/v1/timelines/home", "/api/v1/timelines/public", "/api/v1/timelines/tag/:id", "/api/v1/timelines/list/:id",
  "/api/v1/notifications", "/api/v2/notifications", "/api/v1/notifications/:id", "/api/v2/notifications/:id", "/api/v2/filters", "/api/v2/filters/:id",
  "/api/v1/lists", "/api/v1/lists/:id/accounts", "/api/v2/search", "/api/v1/markers", "/api/v1/scheduled_statuses/:id", "/api/v2/media",
  "/api/v1/media/:id", "/api/v1/conversations/:id/read", "/api/v1/tags/:id/follow", "/api/v1/featured_tags", "/oauth/token", "/oauth/revoke", "/oauth/authorize", "/api/v1/apps",
];
const IDS = ["abc", "99999999999999999999", "-1"];
const QUERIES = ["", "?limit=abc&max_id=x&since_id=%00&only_media=maybe&id[]=x&types[]=__proto__&q=%25"];
const BODIES: [string, string][] = [
  ["application/json", "{not json"],
  ["application/json", '{"status": 5, "poll": "x", "media_ids": {"a": 1}, "choices": ["a"], "context": "home", "__proto__": {"x": 1}}'],
  ["application/x-www-form-urlencoded", "a[b][c][][d]=1&poll[options]=x&status[]=1&fields_attributes=oops"],
];

test("no malformed request gets a 5xx, with or without a token", async () => {
  const failures: string[] = [];
  let checked = 0;
  for (const bearer of [token, undefined])
  for (const pattern of PATHS) {
    for (const id of IDS) {
      const path = pattern.replace(":id", id);
      for (const query of QUERIES) {
        for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
          const bodies: [string, string][] = method === "GET" || method === "DELETE" ? [["", ""]] : BODIES;
          for (const [type, body] of bodies) {
            const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
            if (type) headers["content-type"] = type;
            const res = await fetch(`${server.url}${path}${query}`, { method, headers, body: body || undefined, redirect: "manual" });
            const text = await res.text();
            checked++;
            if (res.status >= 500) failures.push(`${res.status} ${method} ${path}${query} ${body.slice(0, 30)} → ${text.slice(0, 80)}`);
            else if (path.startsWith("/api/") && res.status >= 400) expect(JSON.parse(text).error).toBeString();
          }
        }
      }
    }
  }
  expect(failures).toEqual([]);
  expect(checked).toBeGreaterThan(4000);
}, 120_000);

test("ids that cannot exist are 404 in Mastodon's shape", async () => {
  for (const path of ["/api/v1/timelines/list/abc", "/api/v1/notifications/xyz", "/api/v2/filters/abc", "/api/v1/scheduled_statuses/-1", "/api/v1/media/%F0%9F%92%A9"]) {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "Record not found" });
  }
});
