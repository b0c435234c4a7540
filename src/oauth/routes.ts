// OAuth 2 endpoints (methods/oauth.md): authorize (login + consent), token, revoke, userinfo, and
// the RFC 8414 metadata document.
import { Elysia } from "elysia";
import type { Context } from "../context.ts";
import { findOwner, verifyOwnerPassword } from "../domain/accounts/owner.ts";
import { createSession, findSessionAccount, SESSION_COOKIE } from "../domain/accounts/sessions.ts";
import { BadRequestError } from "../domain/errors.ts";
import { clientIp } from "../http/client-ip.ts";
import { cookieHeader, readCookie } from "../http/cookies.ts";
import { AttemptLimiter } from "../http/rate-limit.ts";
import { requireUser } from "../api/auth.ts";
import { htmlResponse } from "../../ui/html.ts";
import { AuthorizationCodePage, AuthorizePage, OAuthErrorPage } from "../../ui/pages/authorize.ts";
import { parseScopes, SUPPORTED_SCOPES, withinScopes } from "./scopes.ts";
import { randomToken } from "./secrets.ts";
import {
  authenticateClient,
  createAuthorizationCode,
  findApplication,
  INVALID_SCOPE,
  issueAccessToken,
  OOB_REDIRECT,
  redeemAuthorizationCode,
  redirectUrisOf,
  revokeTokenForClient,
  scopesOf,
  type Application,
} from "./store.ts";

const CSRF_COOKIE = "roost_csrf";
const TRUE = /^(1|true|on|yes)$/i;

type Fields = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

interface AuthorizationRequest {
  app: Application;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  forceLogin: boolean;
}

/** Validates an authorization request. Errors that can be sent to a trusted redirect URI are. */
function parseAuthorizationRequest(ctx: Context, params: Fields): AuthorizationRequest | Response {
  const app = findApplication(ctx.storage, str(params.client_id) ?? "");
  if (!app) {
    return htmlResponse(
      OAuthErrorPage({ title: "Unknown app", message: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method." }),
      { status: 401 },
    );
  }
  const redirectUri = str(params.redirect_uri) ?? "";
  if (!redirectUrisOf(app).includes(redirectUri)) {
    return htmlResponse(OAuthErrorPage({ title: "Invalid redirect URI", message: "The redirect uri included is not valid." }), { status: 400 });
  }
  const state = str(params.state);
  const back = (error: string, description: string) => redirectTo(redirectUri, { error, error_description: description, state });
  if (str(params.response_type) !== "code") return back("unsupported_response_type", "The authorization server does not support this response type.");
  const scopes = parseScopes(str(params.scope));
  if (!scopes || !withinScopes(scopesOf(app), scopes)) return back("invalid_scope", INVALID_SCOPE.description!);
  const codeChallenge = str(params.code_challenge) || undefined;
  const codeChallengeMethod = str(params.code_challenge_method) || undefined;
  if (codeChallengeMethod && codeChallengeMethod !== "S256") return back("invalid_request", "Code challenge method must be S256.");
  if (codeChallengeMethod && !codeChallenge) return back("invalid_request", "Missing required parameter: code_challenge.");
  if (codeChallenge && !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return back("invalid_request", "The code_challenge is malformed.");
  return { app, redirectUri, scopes, state, codeChallenge, codeChallengeMethod: codeChallenge ? "S256" : undefined, forceLogin: TRUE.test(str(params.force_login) ?? "") };
}

/** CSP form-action sources that let the consent form's redirect reach the app. */
function formTargetsFor(redirectUri: string): string[] {
  if (redirectUri === OOB_REDIRECT) return [];
  const url = new URL(redirectUri);
  return [url.protocol === "http:" || url.protocol === "https:" ? url.origin : url.protocol];
}

function redirectTo(redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return new Response(null, { status: 302, headers: { location: url.href, "cache-control": "no-store" } });
}

function hiddenFields(req: AuthorizationRequest): Record<string, string> {
  const fields: Record<string, string> = {
    client_id: req.app.clientId,
    redirect_uri: req.redirectUri,
    response_type: "code",
    scope: req.scopes.join(" "),
  };
  if (req.state !== undefined) fields.state = req.state;
  if (req.codeChallenge) {
    fields.code_challenge = req.codeChallenge;
    fields.code_challenge_method = "S256";
  }
  if (req.forceLogin) fields.force_login = "true";
  return fields;
}

export function oauthRoutes(ctx: Context) {
  const failedLogins = new AttemptLimiter(5, 15 * 60 * 1000);
  const secure = ctx.config.publicUrl.protocol === "https:";

  const consentPage = (req: AuthorizationRequest, needsPassword: boolean, error?: string, status = 200) => {
    const owner = findOwner(ctx.storage)!;
    const csrf = randomToken(24);
    const response = htmlResponse(
      AuthorizePage({
        appName: req.app.name,
        appWebsite: req.app.website,
        handle: `@${owner.account.username}@${ctx.config.accountDomain}`,
        scopes: req.scopes,
        needsPassword,
        fields: hiddenFields(req),
        csrf,
        error,
      }),
      { status, headers: { "cache-control": "no-store" } },
      formTargetsFor(req.redirectUri),
    );
    response.headers.append("set-cookie", cookieHeader(CSRF_COOKIE, csrf, { secure, sameSite: "Strict", path: "/oauth" }));
    return response;
  };

  return new Elysia()
    .get("/oauth/authorize", ({ query, request }) => {
      const req = parseAuthorizationRequest(ctx, query);
      if (req instanceof Response) return req;
      if (!findOwner(ctx.storage)) return htmlResponse(OAuthErrorPage({ title: "Not set up", message: "This server has no owner yet." }), { status: 503 });
      const signedIn = findSessionAccount(ctx.storage, readCookie(request, SESSION_COOKIE));
      return consentPage(req, !signedIn || req.forceLogin);
    })
    .post("/oauth/authorize", async ({ body, request }) => {
      const fields = (body ?? {}) as Fields;
      const req = parseAuthorizationRequest(ctx, fields);
      if (req instanceof Response) return req;
      const owner = findOwner(ctx.storage);
      if (!owner) return htmlResponse(OAuthErrorPage({ title: "Not set up", message: "This server has no owner yet." }), { status: 503 });
      const csrf = readCookie(request, CSRF_COOKIE);
      if (!csrf || csrf !== str(fields.csrf)) {
        return htmlResponse(OAuthErrorPage({ title: "Form expired", message: "The form was stale or sent from another site. Go back and try again." }), { status: 403 });
      }
      if (str(fields.decision) === "deny") {
        return redirectTo(req.redirectUri === OOB_REDIRECT ? "about:blank" : req.redirectUri, {
          error: "access_denied",
          error_description: "The resource owner or authorization server denied the request.",
          state: req.state,
        });
      }
      const headers = new Headers({ "cache-control": "no-store" });
      const signedIn = findSessionAccount(ctx.storage, readCookie(request, SESSION_COOKIE));
      if (!signedIn || req.forceLogin) {
        const ip = clientIp(request);
        const wait = failedLogins.retryAfter(ip);
        if (wait > 0) {
          return htmlResponse(OAuthErrorPage({ title: "Too many attempts", message: `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).` }), {
            status: 429,
            headers: { "retry-after": String(wait) },
          });
        }
        if (!(await verifyOwnerPassword(ctx.storage, str(fields.password) ?? ""))) {
          failedLogins.recordFailure(ip);
          return consentPage(req, true, "That password is not right.", 401);
        }
        failedLogins.reset(ip);
        const session = createSession(ctx.storage, owner.account.id, { userAgent: request.headers.get("user-agent"), ip });
        headers.append("set-cookie", cookieHeader(SESSION_COOKIE, session.token, { secure, maxAgeSeconds: session.maxAgeSeconds }));
      }
      const code = createAuthorizationCode(ctx.storage, {
        app: req.app,
        accountId: owner.account.id,
        redirectUri: req.redirectUri,
        scopes: req.scopes,
        codeChallenge: req.codeChallenge,
        codeChallengeMethod: req.codeChallengeMethod,
      });
      if (req.redirectUri === OOB_REDIRECT) return htmlResponse(AuthorizationCodePage({ appName: req.app.name, code }), { headers });
      const response = redirectTo(req.redirectUri, { code, state: req.state });
      for (const cookie of headers.getSetCookie()) response.headers.append("set-cookie", cookie);
      return response;
    })
    .post("/oauth/token", ({ body, query, request }) => {
      const fields = { ...(query as Fields), ...((body ?? {}) as Fields) };
      const basic = basicCredentials(request);
      const app = authenticateClient(ctx.storage, basic?.id ?? fields.client_id, basic?.secret ?? fields.client_secret);
      const grantType = str(fields.grant_type);
      let issued;
      if (grantType === "authorization_code") {
        issued = redeemAuthorizationCode(ctx.storage, { app, code: fields.code, redirectUri: fields.redirect_uri, codeVerifier: fields.code_verifier });
      } else if (grantType === "client_credentials") {
        const scopes = parseScopes(str(fields.scope));
        if (!scopes || !withinScopes(scopesOf(app), scopes)) throw INVALID_SCOPE;
        issued = issueAccessToken(ctx.storage, app.id, null, scopes);
      } else if (!grantType) {
        throw new BadRequestError("invalid_request", "Missing required parameter: grant_type.");
      } else {
        throw new BadRequestError("unsupported_grant_type", "The authorization grant type is not supported by the authorization server.");
      }
      return Response.json(
        { access_token: issued.token, token_type: "Bearer", scope: issued.row.scopes, created_at: Math.floor(issued.row.createdAt / 1000) },
        { headers: { "cache-control": "no-store", pragma: "no-cache" } },
      );
    })
    .post("/oauth/revoke", ({ body, request }) => {
      const fields = (body ?? {}) as Fields;
      const basic = basicCredentials(request);
      const app = authenticateClient(ctx.storage, basic?.id ?? fields.client_id, basic?.secret ?? fields.client_secret);
      const token = str(fields.token);
      if (!token) throw new BadRequestError("invalid_request", "Missing required parameter: token.");
      revokeTokenForClient(ctx.storage, app, token);
      return Response.json({});
    })
    .get("/oauth/userinfo", ({ request }) => userinfo(ctx, request))
    .post("/oauth/userinfo", ({ request }) => userinfo(ctx, request))
    .get("/.well-known/oauth-authorization-server", () => {
      const base = ctx.config.publicUrl.origin;
      return Response.json({
        issuer: `${base}/`,
        service_documentation: "https://docs.joinmastodon.org/",
        authorization_endpoint: `${base}/oauth/authorize`,
        token_endpoint: `${base}/oauth/token`,
        app_registration_endpoint: `${base}/api/v1/apps`,
        revocation_endpoint: `${base}/oauth/revoke`,
        userinfo_endpoint: `${base}/oauth/userinfo`,
        scopes_supported: SUPPORTED_SCOPES,
        response_types_supported: ["code"],
        response_modes_supported: ["query", "fragment", "form_post"],
        code_challenge_methods_supported: ["S256"],
        grant_types_supported: ["authorization_code", "client_credentials"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      });
    });
}

function basicCredentials(request: Request): { id: string; secret: string } | undefined {
  const header = request.headers.get("authorization");
  const match = header && /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function userinfo(ctx: Context, request: Request): Response {
  requireUser(ctx, request, ["profile"]);
  const owner = findOwner(ctx.storage)!;
  const base = ctx.config.publicUrl.origin;
  return Response.json({
    iss: `${base}/`,
    sub: owner.account.uri,
    name: owner.account.displayName || owner.account.username,
    preferred_username: owner.account.username,
    profile: owner.account.url,
    picture: owner.account.avatarUrl ?? `${base}/avatars/original/missing.png`,
  });
}
