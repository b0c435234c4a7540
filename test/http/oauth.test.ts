import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { pkceChallenge } from "../../src/oauth/secrets.ts";
import { api, authorize, openConsent, OWNER_PASSWORD, REDIRECT, registerApp, submitConsent } from "../helpers/oauth.ts";
import { expectEntity } from "../helpers/schema.ts";
import { startTestServerWithOwner, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServerWithOwner();
  base = server.url;
});
afterAll(() => server.close());

const tokenRequest = (fields: Record<string, string>) =>
  fetch(`${base}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });

describe("POST /api/v1/apps", () => {
  test("creates a CredentialApplication from JSON or form data", async () => {
    const app = await registerApp(base, "read write", [REDIRECT, "https://app.example/cb"]);
    expect(app).toMatchObject({
      name: "Test App",
      website: "https://app.example",
      scopes: ["read", "write"],
      redirect_uris: [REDIRECT, "https://app.example/cb"],
      redirect_uri: `${REDIRECT}\nhttps://app.example/cb`,
      client_secret_expires_at: 0,
    });
    expectEntity("CredentialApplication", app);
    expect(app.id).toMatch(/^\d+$/);
    expect(app.client_id).toHaveLength(43);
    const form = await fetch(`${base}/api/v1/apps`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "client_name=Tusky&redirect_uris=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob",
    });
    expect(form.status).toBe(200);
    expect(await form.json()).toMatchObject({ name: "Tusky", scopes: ["read"], redirect_uris: ["urn:ietf:wg:oauth:2.0:oob"], website: null });
  });

  test("bad input answers 422 with Mastodon's messages", async () => {
    const call = api(base);
    expect((await call("POST", "/api/v1/apps", { redirect_uris: REDIRECT })).json).toEqual({ error: "Validation failed: Application name can't be blank" });
    const relative = await call("POST", "/api/v1/apps", { client_name: "x", redirect_uris: "/relative" });
    expect(relative.status).toBe(422);
    expect(relative.json).toEqual({ error: "Validation failed: Redirect URI must be an absolute URI." });
    const scope = await call("POST", "/api/v1/apps", { client_name: "x", redirect_uris: REDIRECT, scopes: "read everything" });
    expect(scope.status).toBe(422);
  });

  test("verify_credentials answers for any valid token and 401 otherwise", async () => {
    const app = await registerApp(base, "read");
    const res = await tokenRequest({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret });
    const { access_token } = await res.json();
    const ok = await api(base, access_token)("GET", "/api/v1/apps/verify_credentials");
    expect(ok.status).toBe(200);
    expectEntity("Application", ok.json);
    expect(ok.json).toEqual({ id: app.id, name: "Test App", website: "https://app.example", scopes: ["read"], redirect_uris: [REDIRECT], redirect_uri: REDIRECT, vapid_key: ok.json.vapid_key });
    // An uncompressed P-256 point, base64url: 65 bytes.
    expect(Buffer.from(ok.json.vapid_key, "base64url")).toHaveLength(65);
    const none = await api(base)("GET", "/api/v1/apps/verify_credentials");
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ error: "The access token is invalid" });
    expect((await api(base, "nonsense")("GET", "/api/v1/apps/verify_credentials")).status).toBe(401);
  });
});

describe("the authorization code flow", () => {
  test("PKCE, state and scopes go through; the token works", async () => {
    const client = await authorize(base, "read write");
    expect(client.scope).toBe("read write");
    expect(client.sessionCookie).toMatch(/^roost_session=/);
    const verify = await api(base, client.token)("GET", "/api/v1/apps/verify_credentials");
    expect(verify.status).toBe(200);
  });

  test("the consent page names the app and the scopes; deny returns access_denied", async () => {
    const app = await registerApp(base, "read write");
    const params = { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, scope: "read", state: "xyz" };
    const page = await openConsent(base, params);
    expect(page.res.status).toBe(200);
    expect(page.html).toContain("Authorize Test App?");
    expect(page.html).toContain("Read all your account's data");
    expect(page.html).toContain('name="password"');
    const denied = await submitConsent(base, { ...params, csrf: page.csrf, decision: "deny" }, page.cookie);
    expect(denied.status).toBe(302);
    const location = new URL(denied.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("xyz");
  });

  test("bad requests: unknown client, wrong redirect, scopes beyond the app, plain PKCE", async () => {
    const app = await registerApp(base, "read");
    expect((await openConsent(base, { response_type: "code", client_id: "nope", redirect_uri: REDIRECT })).res.status).toBe(401);
    expect((await openConsent(base, { response_type: "code", client_id: app.client_id, redirect_uri: "http://evil.example/" })).res.status).toBe(400);
    const scope = await openConsent(base, { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, scope: "write" });
    expect(scope.res.status).toBe(302);
    expect(new URL(scope.res.headers.get("location")!).searchParams.get("error")).toBe("invalid_scope");
    const plain = await openConsent(base, { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, code_challenge: "abc", code_challenge_method: "plain" });
    expect(new URL(plain.res.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const type = await openConsent(base, { response_type: "token", client_id: app.client_id, redirect_uri: REDIRECT });
    expect(new URL(type.res.headers.get("location")!).searchParams.get("error")).toBe("unsupported_response_type");
  });

  test("a forged form (no CSRF cookie) is refused", async () => {
    const app = await registerApp(base, "read");
    const params = { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT };
    const res = await submitConsent(base, { ...params, csrf: "forged", password: OWNER_PASSWORD, decision: "approve" }, "");
    expect(res.status).toBe(403);
  });

  test("out-of-band shows the code; a signed-in session skips the password unless force_login", async () => {
    const first = await authorize(base, "read");
    const app = await registerApp(base, "read", "urn:ietf:wg:oauth:2.0:oob");
    const params = { response_type: "code", client_id: app.client_id, redirect_uri: "urn:ietf:wg:oauth:2.0:oob", scope: "read" };
    const page = await openConsent(base, params, first.sessionCookie);
    expect(page.html).not.toContain('name="password"');
    const shown = await submitConsent(base, { ...params, csrf: page.csrf, decision: "approve" }, page.cookie);
    expect(shown.status).toBe(200);
    const code = /id="code" class="handle"|value="([A-Za-z0-9_-]{43})"/.exec(await shown.text());
    expect(code?.[1]).toBeDefined();
    const forced = await openConsent(base, { ...params, force_login: "true" }, first.sessionCookie);
    expect(forced.html).toContain('name="password"');
  });

  test("wrong passwords are refused and then rate-limited", async () => {
    // Its own server: the lockout would otherwise hold for the other tests from this address.
    const own = await startTestServerWithOwner();
    const base = own.url;
    const app = await registerApp(base, "read");
    const params = { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const page = await openConsent(base, params);
      const res = await submitConsent(base, { ...params, csrf: page.csrf, password: "wrong password", decision: "approve" }, page.cookie);
      statuses.push(res.status);
      if (i === 0) expect(await res.text()).toContain("That password is not right.");
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Even the right password waits now.
    const page = await openConsent(base, params);
    const right = await submitConsent(base, { ...params, csrf: page.csrf, password: OWNER_PASSWORD, decision: "approve" }, page.cookie);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    await own.close();
  });
});

describe("POST /oauth/token", () => {
  async function codeFor(app: { client_id: string }, extra: Record<string, string> = {}) {
    const params = { response_type: "code", client_id: app.client_id, redirect_uri: REDIRECT, scope: "read", ...extra };
    const { sessionCookie } = await authorize(base, "read");
    const page = await openConsent(base, params, sessionCookie);
    const res = await submitConsent(base, { ...params, csrf: page.csrf, decision: "approve" }, page.cookie);
    return new URL(res.headers.get("location")!).searchParams.get("code")!;
  }

  test("a wrong PKCE verifier, a reused code and a wrong secret fail as Doorkeeper fails", async () => {
    const app = await registerApp(base, "read");
    const verifier = "a".repeat(50);
    const code = await codeFor(app, { code_challenge: pkceChallenge(verifier), code_challenge_method: "S256" });
    const base_ = { grant_type: "authorization_code", code, client_id: app.client_id, client_secret: app.client_secret, redirect_uri: REDIRECT };
    const wrong = await tokenRequest({ ...base_, code_verifier: "b".repeat(50) });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toBe("invalid_grant");
    const ok = await tokenRequest({ ...base_, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expectEntity("Token", body);
    expect(body).toMatchObject({ token_type: "Bearer", scope: "read" });
    expect(typeof body.created_at).toBe("number");
    const replay = await tokenRequest({ ...base_, code_verifier: verifier });
    expect(replay.status).toBe(400);
    // The replay revoked the token the code had produced.
    expect((await api(base, body.access_token)("GET", "/api/v1/apps/verify_credentials")).status).toBe(401);

    const secret = await tokenRequest({ ...base_, client_secret: "nope" });
    expect(secret.status).toBe(401);
    const invalidClient = await secret.clone().json();
    expectEntity("Error", invalidClient);
    expect(await secret.json()).toEqual({
      error: "invalid_client",
      error_description: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
    });
  });

  test("client credentials: scopes within the app's, HTTP Basic accepted, unknown grants refused", async () => {
    const app = await registerApp(base, "read write");
    const basic = `Basic ${btoa(`${app.client_id}:${app.client_secret}`)}`;
    const ok = await fetch(`${base}/oauth/token`, { method: "POST", headers: { authorization: basic, "content-type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials", scope: "write" }) });
    expect(ok.status).toBe(200);
    expect((await ok.json()).scope).toBe("write");
    const beyond = await tokenRequest({ grant_type: "client_credentials", client_id: app.client_id, client_secret: app.client_secret, scope: "push" });
    expect(beyond.status).toBe(400);
    expect((await beyond.json()).error).toBe("invalid_scope");
    const password = await tokenRequest({ grant_type: "password", client_id: app.client_id, client_secret: app.client_secret });
    expect((await password.json()).error).toBe("unsupported_grant_type");
  });
});

describe("revoke, userinfo, metadata", () => {
  test("only the owning app can revoke; a revoked token is invalid", async () => {
    const client = await authorize(base, "read");
    const other = await registerApp(base, "read");
    const revoke = (app: { client_id: string; client_secret: string }) =>
      fetch(`${base}/oauth/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ client_id: app.client_id, client_secret: app.client_secret, token: client.token }).toString() });
    const foreign = await revoke(other);
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error).toBe("unauthorized_client");
    const own = await revoke(client.app);
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({});
    expect((await revoke(client.app)).status).toBe(200);
    expect((await api(base, client.token)("GET", "/api/v1/apps/verify_credentials")).status).toBe(401);
  });

  test("userinfo needs the profile scope", async () => {
    const profile = await authorize(base, "profile");
    const info = await api(base, profile.token)("GET", "/oauth/userinfo");
    expect(info.status).toBe(200);
    expect(info.json).toEqual({
      iss: `${base}/`,
      sub: `${base}/users/alice`,
      name: "Alice",
      preferred_username: "alice",
      profile: `${base}/@alice`,
      picture: `${base}/avatars/original/missing.png`,
    });
    const read = await authorize(base, "read");
    const denied = await api(base, read.token)("GET", "/oauth/userinfo");
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ error: "This action is outside the authorized scopes" });
  });

  test("the authorization server metadata", async () => {
    const res = await api(base)("GET", "/.well-known/oauth-authorization-server");
    expect(res.json).toMatchObject({
      issuer: `${base}/`,
      authorization_endpoint: `${base}/oauth/authorize`,
      token_endpoint: `${base}/oauth/token`,
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: ["authorization_code", "client_credentials"],
    });
    expect(res.json.scopes_supported).toContain("read:statuses");
    expect(res.json.scopes_supported).toContain("profile");
  });
});

describe("CORS", () => {
  test("preflight and responses on API paths allow any origin; pages do not", async () => {
    const pre = await fetch(`${base}/api/v1/statuses`, {
      method: "OPTIONS",
      headers: { origin: "https://elk.zone", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type, idempotency-key" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    expect(pre.headers.get("access-control-allow-headers")).toBe("authorization, content-type, idempotency-key");
    const error = await fetch(`${base}/api/v1/nothing`, { headers: { origin: "https://elk.zone" } });
    expect(error.status).toBe(404);
    expect(error.headers.get("access-control-allow-origin")).toBe("*");
    expect(error.headers.get("access-control-expose-headers")).toContain("Link");
    for (const path of ["/oauth/token", "/.well-known/oauth-authorization-server"]) {
      const r = await fetch(`${base}${path}`, { method: "OPTIONS", headers: { origin: "https://elk.zone", "access-control-request-method": "POST" } });
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
    }
    const page = await fetch(`${base}/oauth/authorize`, { headers: { origin: "https://elk.zone" } });
    expect(page.headers.get("access-control-allow-origin")).toBeNull();
  });
});
