// OAuth applications, authorization codes and access tokens (Doorkeeper's model, as Mastodon uses it).
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { prepared } from "../db/prepared.ts";
import type { Storage } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { oauthAccessTokens, oauthApplications, oauthAuthorizationCodes } from "../db/schema.ts";
import { BadRequestError, ForbiddenError, UnauthorizedError, ValidationError } from "../domain/errors.ts";
import { hashSecret, pkceChallenge, randomToken, sameSecret } from "./secrets.ts";

export const OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob";
const CODE_LIFETIME_MS = 10 * 60 * 1000;

export type Application = typeof oauthApplications.$inferSelect;
export type AccessToken = typeof oauthAccessTokens.$inferSelect;

export const INVALID_GRANT = new BadRequestError(
  "invalid_grant",
  "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
);
export const INVALID_CLIENT = new UnauthorizedError(
  "invalid_client",
  "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
);
export const INVALID_SCOPE = new BadRequestError("invalid_scope", "The requested scope is invalid, unknown, or malformed.");

export function redirectUrisOf(app: Application): string[] {
  return JSON.parse(app.redirectUris) as string[];
}

export function scopesOf(row: { scopes: string }): string[] {
  return row.scopes.split(" ").filter(Boolean);
}

/** Checks redirect URIs as Doorkeeper does: absolute, no fragment, or the out-of-band URN. */
export function validateRedirectUris(uris: string[]): string[] {
  const cleaned = uris.flatMap((u) => u.split(/\r?\n/)).map((u) => u.trim()).filter(Boolean);
  if (cleaned.length === 0) throw new ValidationError("Validation failed: Redirect URI can't be blank");
  for (const uri of cleaned) {
    if (uri === OOB_REDIRECT) continue;
    if (!URL.canParse(uri)) throw new ValidationError("Validation failed: Redirect URI must be an absolute URI.");
    const url = new URL(uri);
    if (url.hash) throw new ValidationError("Validation failed: Redirect URI cannot contain a fragment.");
    if (url.protocol === "javascript:" || url.protocol === "data:") throw new ValidationError("Validation failed: Redirect URI must be an absolute URI.");
  }
  return cleaned;
}

export function createApplication(
  storage: Storage,
  input: { name: string; website?: string | null; redirectUris: string[]; scopes: string[] },
): { app: Application; clientSecret: string } {
  const clientSecret = randomToken();
  const app = storage.db
    .insert(oauthApplications)
    .values({
      id: newId(),
      name: input.name,
      website: input.website ?? null,
      redirectUris: JSON.stringify(input.redirectUris),
      scopes: input.scopes.join(" "),
      clientId: randomToken(),
      clientSecretHash: hashSecret(clientSecret),
      createdAt: Date.now(),
    })
    .returning()
    .get();
  return { app, clientSecret };
}

export function findApplication(storage: Storage, clientId: string): Application | undefined {
  return storage.db.select().from(oauthApplications).where(eq(oauthApplications.clientId, clientId)).get();
}

/** The app whose credentials these are, or invalid_client. */
export function authenticateClient(storage: Storage, clientId: unknown, clientSecret: unknown): Application {
  if (typeof clientId !== "string" || typeof clientSecret !== "string") throw INVALID_CLIENT;
  const app = findApplication(storage, clientId);
  if (!app || !sameSecret(clientSecret, app.clientSecretHash)) throw INVALID_CLIENT;
  return app;
}

export function createAuthorizationCode(
  storage: Storage,
  input: { app: Application; accountId: string; redirectUri: string; scopes: string[]; codeChallenge?: string; codeChallengeMethod?: string },
): string {
  const code = randomToken();
  const now = Date.now();
  storage.db
    .insert(oauthAuthorizationCodes)
    .values({
      id: newId(now),
      codeHash: hashSecret(code),
      applicationId: input.app.id,
      accountId: input.accountId,
      redirectUri: input.redirectUri,
      scopes: input.scopes.join(" "),
      codeChallenge: input.codeChallenge ?? null,
      codeChallengeMethod: input.codeChallenge ? (input.codeChallengeMethod ?? "S256") : null,
      expiresAt: now + CODE_LIFETIME_MS,
      createdAt: now,
    })
    .run();
  return code;
}

/** Exchanges a code for a token: single use, unexpired, same client and redirect URI, PKCE verified. */
export function redeemAuthorizationCode(
  storage: Storage,
  input: { app: Application; code: unknown; redirectUri: unknown; codeVerifier: unknown },
): { token: string; row: AccessToken } {
  if (typeof input.code !== "string" || !input.code) throw new BadRequestError("invalid_request", "Missing required parameter: code.");
  const outcome = storage.db.transaction((tx) => {
    const grant = tx.select().from(oauthAuthorizationCodes).where(eq(oauthAuthorizationCodes.codeHash, hashSecret(input.code as string))).get();
    const now = Date.now();
    if (!grant || grant.applicationId !== input.app.id || grant.expiresAt < now) return undefined;
    if (grant.usedAt !== null) {
      // A replayed code: revoke what it produced (RFC 6749 §4.1.2). Committed before the error is raised.
      tx.update(oauthAccessTokens)
        .set({ revokedAt: now })
        .where(and(eq(oauthAccessTokens.applicationId, grant.applicationId), eq(oauthAccessTokens.createdAt, grant.usedAt)))
        .run();
      return undefined;
    }
    if (grant.redirectUri !== input.redirectUri) return undefined;
    if (grant.codeChallenge) {
      if (typeof input.codeVerifier !== "string" || pkceChallenge(input.codeVerifier) !== grant.codeChallenge) return undefined;
    }
    tx.update(oauthAuthorizationCodes).set({ usedAt: now }).where(eq(oauthAuthorizationCodes.id, grant.id)).run();
    return insertToken(tx as unknown as Storage["db"], input.app.id, grant.accountId, scopesOf(grant), now);
  }, { behavior: "immediate" });
  if (!outcome) throw INVALID_GRANT;
  return outcome;
}

export function issueAccessToken(storage: Storage, appId: string, accountId: string | null, scopes: string[]): { token: string; row: AccessToken } {
  return insertToken(storage.db, appId, accountId, scopes, Date.now());
}

function insertToken(db: Storage["db"], appId: string, accountId: string | null, scopes: string[], now: number) {
  const token = randomToken();
  const row = db
    .insert(oauthAccessTokens)
    .values({ id: newId(now), tokenHash: hashSecret(token), applicationId: appId, accountId, scopes: scopes.join(" "), createdAt: now })
    .returning()
    .get();
  return { token, row };
}

export interface Authenticated {
  token: AccessToken;
  app: Application;
  scopes: string[];
}

/** The live token behind a bearer string, with its app; undefined if unknown, revoked or expired. */
export function findAccessToken(storage: Storage, bearer: string): Authenticated | undefined {
  // Every authenticated request runs this: a prepared query.
  const query = prepared(storage, "access-token", () =>
    storage.db
      .select({ token: oauthAccessTokens, app: oauthApplications })
      .from(oauthAccessTokens)
      .innerJoin(oauthApplications, eq(oauthAccessTokens.applicationId, oauthApplications.id))
      .where(and(eq(oauthAccessTokens.tokenHash, sql.placeholder("hash")), isNull(oauthAccessTokens.revokedAt)))
      .prepare(),
  );
  const found = query.get({ hash: hashSecret(bearer) });
  if (!found) return undefined;
  if (found.token.expiresAt !== null && found.token.expiresAt < Date.now()) return undefined;
  return { ...found, scopes: scopesOf(found.token) };
}

/** POST /oauth/revoke: only the app that owns a token may revoke it; unknown tokens are fine (idempotent). */
export function revokeTokenForClient(storage: Storage, app: Application, token: string): void {
  const row = storage.db.select().from(oauthAccessTokens).where(eq(oauthAccessTokens.tokenHash, hashSecret(token))).get();
  if (!row) return;
  if (row.applicationId !== app.id) throw new ForbiddenError("unauthorized_client", "You are not authorized to revoke this token");
  if (row.revokedAt === null) storage.db.update(oauthAccessTokens).set({ revokedAt: Date.now() }).where(eq(oauthAccessTokens.id, row.id)).run();
}

export function revokeTokenById(storage: Storage, id: string): boolean {
  return (
    storage.db
      .update(oauthAccessTokens)
      .set({ revokedAt: Date.now() })
      .where(and(eq(oauthAccessTokens.id, id), isNull(oauthAccessTokens.revokedAt)))
      .returning({ id: oauthAccessTokens.id })
      .all().length > 0
  );
}

export function listAccessTokens(storage: Storage) {
  return storage.db
    .select({ token: oauthAccessTokens, appName: oauthApplications.name })
    .from(oauthAccessTokens)
    .innerJoin(oauthApplications, eq(oauthAccessTokens.applicationId, oauthApplications.id))
    .where(isNull(oauthAccessTokens.revokedAt))
    .orderBy(desc(oauthAccessTokens.id))
    .all();
}

/** Records use at most once a minute, so authenticated reads do not each cost a write. */
const lastTouched = new Map<string, number>();
export function touchAccessToken(storage: Storage, token: AccessToken): void {
  const now = Date.now();
  if ((lastTouched.get(token.id) ?? token.lastUsedAt ?? 0) > now - 60_000) return;
  lastTouched.set(token.id, now);
  storage.db.update(oauthAccessTokens).set({ lastUsedAt: now }).where(eq(oauthAccessTokens.id, token.id)).run();
}
