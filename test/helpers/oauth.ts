// The OAuth dance as a real app and browser do it: register, open the consent page, post the form
// (with the CSRF cookie and the owner's password), follow the redirect, exchange the code with PKCE.
import { pkceChallenge } from "../../src/oauth/secrets.ts";

export const OWNER_PASSWORD = "correct horse battery";
export const REDIRECT = "http://127.0.0.1:9/callback";

export interface RegisteredApp {
  client_id: string;
  client_secret: string;
  id: string;
}

export async function registerApp(base: string, scopes = "read write follow push profile", redirectUris: string | string[] = REDIRECT): Promise<RegisteredApp> {
  const res = await fetch(`${base}/api/v1/apps`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Test App", redirect_uris: redirectUris, scopes, website: "https://app.example" }),
  });
  if (res.status !== 200) throw new Error(`register app: ${res.status} ${await res.text()}`);
  return res.json() as Promise<RegisteredApp>;
}

/** Opens the consent page; returns its HTML, the CSRF token and the cookies to send back. */
export async function openConsent(base: string, params: Record<string, string>, cookies = "") {
  const res = await fetch(`${base}/oauth/authorize?${new URLSearchParams(params)}`, { headers: { cookie: cookies }, redirect: "manual" });
  const html = await res.text();
  const csrfCookie = res.headers.getSetCookie().find((c) => c.startsWith("roost_csrf="))?.split(";")[0] ?? "";
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  return { res, html, csrf, cookie: [cookies, csrfCookie].filter(Boolean).join("; ") };
}

export async function submitConsent(base: string, fields: Record<string, string>, cookie: string) {
  return fetch(`${base}/oauth/authorize`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

export interface AuthorizedClient {
  app: RegisteredApp;
  token: string;
  scope: string;
  /** The session cookie the browser would now hold. */
  sessionCookie: string;
}

export async function authorize(base: string, scopes = "read write follow push profile"): Promise<AuthorizedClient> {
  const app = await registerApp(base, scopes);
  const verifier = "v".repeat(20) + crypto.randomUUID().replace(/-/g, "") + "x".repeat(10);
  const params = {
    response_type: "code",
    client_id: app.client_id,
    redirect_uri: REDIRECT,
    scope: scopes,
    state: "s-123",
    code_challenge: pkceChallenge(verifier),
    code_challenge_method: "S256",
  };
  const page = await openConsent(base, params);
  const post = await submitConsent(base, { ...params, csrf: page.csrf, password: OWNER_PASSWORD, decision: "approve" }, page.cookie);
  if (post.status !== 302) throw new Error(`consent: ${post.status} ${await post.text()}`);
  const location = new URL(post.headers.get("location")!);
  const sessionCookie = post.headers.getSetCookie().find((c) => c.startsWith("roost_session="))?.split(";")[0] ?? "";
  const tokenRes = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: location.searchParams.get("code")!,
      client_id: app.client_id,
      client_secret: app.client_secret,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await tokenRes.json()) as { access_token: string; scope: string };
  if (tokenRes.status !== 200) throw new Error(`token: ${tokenRes.status} ${JSON.stringify(body)}`);
  return { app, token: body.access_token, scope: body.scope, sessionCookie };
}

/** fetch with a bearer token and JSON. */
export function api(base: string, token?: string) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (token) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
    if (body instanceof FormData || body instanceof URLSearchParams) init.body = body;
    else if (body !== undefined) {
      (init.headers as Record<string, string>)["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, headers: res.headers, json, text };
  };
}

export type ApiClient = ReturnType<typeof api>;
