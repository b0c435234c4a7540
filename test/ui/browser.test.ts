// The consent page in a real browser, and a web client on another origin calling the API (CORS).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { pkceChallenge } from "../../src/oauth/secrets.ts";
import { authorize, OWNER_PASSWORD, registerApp } from "../helpers/oauth.ts";
import { startTestServerWithOwner, type TestServer } from "../helpers/server.ts";

const CHROMIUM = "/usr/bin/chromium";
// CI installs Debian's chromium (.ci/run); a machine without it skips these, saying so.
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) console.warn(`browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium)`);

let server: TestServer;
let browser: Browser;
let other: ReturnType<typeof Bun.serve>;
let codes: string[] = [];

beforeAll(async () => {
  if (!haveBrowser) return;
  server = await startTestServerWithOwner();
  // Another origin: a web app's page and its OAuth callback.
  other = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/callback") {
        codes.push(url.searchParams.get("code") ?? "");
        return new Response("<p id=done>signed in</p>", { headers: { "content-type": "text/html" } });
      }
      return new Response("<!doctype html><title>web client</title>", { headers: { "content-type": "text/html" } });
    },
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
  });
});

afterAll(async () => {
  if (!haveBrowser) return;
  await browser.close();
  other.stop(true);
  await server.close();
});

describe("in a browser", () => {
  test.skipIf(!haveBrowser)("log in and consent on the authorize page; the code reaches the app's redirect", async () => {
    const redirect = `http://127.0.0.1:${other.port}/callback`;
    const app = await registerApp(server.url, "read write", redirect);
    const verifier = crypto.randomUUID() + crypto.randomUUID();
    const page = await browser.newPage();
    const url = `${server.url}/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: app.client_id, redirect_uri: redirect, scope: "read write", state: "xyz", code_challenge: pkceChallenge(verifier), code_challenge_method: "S256" })}`;
    await page.goto(url);
    expect(await page.textContent("h1")).toBe("Authorize Test App?");
    await page.fill("#password", "not my password");
    await page.click("button[value=approve]");
    expect(await page.textContent("[role=alert]")).toBe("That password is not right.");
    await page.fill("#password", OWNER_PASSWORD);
    await Promise.all([page.waitForURL(/\/callback\?/), page.click("button[value=approve]")]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get("state")).toBe("xyz");
    const code = landed.searchParams.get("code")!;
    expect(codes).toContain(code);
    const token = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: app.client_id, client_secret: app.client_secret, redirect_uri: redirect, code_verifier: verifier }).toString(),
    });
    expect(token.status).toBe(200);
    // Signed in now: a second app only needs consent.
    const second = await registerApp(server.url, "read", redirect);
    await page.goto(`${server.url}/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: second.client_id, redirect_uri: redirect, scope: "read" })}`);
    expect(await page.locator("#password").count()).toBe(0);
    await page.close();
  });

  test.skipIf(!haveBrowser)("a web client on another origin calls the API with a bearer token", async () => {
    const { token } = await authorize(server.url, "read write");
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${other.port}/`);
    const result = await page.evaluate(
      async ({ base, token }) => {
        const headers = { authorization: `Bearer ${token}` };
        const me = await (await fetch(`${base}/api/v1/accounts/verify_credentials`, { headers })).json();
        // JSON with Authorization and Idempotency-Key: a preflighted request.
        const posted = await fetch(`${base}/api/v1/statuses`, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json", "idempotency-key": "browser-1" },
          body: JSON.stringify({ status: "posted from another origin" }),
        });
        const timeline = await fetch(`${base}/api/v1/timelines/home?limit=1`, { headers });
        const failed = await fetch(`${base}/api/v1/statuses/1`, { headers });
        return {
          username: me.username,
          postStatus: posted.status,
          content: (await posted.json()).content,
          link: timeline.headers.get("link"),
          errorStatus: failed.status,
          error: await failed.json(),
        };
      },
      { base: server.url, token },
    );
    expect(result).toMatchObject({ username: "alice", postStatus: 200, errorStatus: 404, error: { error: "Record not found" } });
    expect(result.content).toContain("posted from another origin");
    expect(result.link).toContain('rel="next"');
    await page.close();
  });
});
