// Browser sessions of the owner: a random cookie value, stored hashed, valid for 30 days.
import { and, eq, gt } from "drizzle-orm";
import type { Storage } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import { webSessions } from "../../db/schema.ts";
import { hashSecret, randomToken } from "../../oauth/secrets.ts";

export const SESSION_COOKIE = "roost_session";
const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

export function createSession(storage: Storage, accountId: string, meta: { userAgent?: string | null; ip?: string | null } = {}) {
  const token = randomToken();
  const now = Date.now();
  storage.db
    .insert(webSessions)
    .values({ id: newId(now), tokenHash: hashSecret(token), accountId, userAgent: meta.userAgent?.slice(0, 500) ?? null, ip: meta.ip ?? null, createdAt: now, expiresAt: now + SESSION_LIFETIME_MS })
    .run();
  return { token, maxAgeSeconds: SESSION_LIFETIME_MS / 1000 };
}

/** The signed-in account for a cookie value, if the session is live. */
export function findSessionAccount(storage: Storage, token: string | undefined): string | undefined {
  if (!token) return undefined;
  return storage.db
    .select({ accountId: webSessions.accountId })
    .from(webSessions)
    .where(and(eq(webSessions.tokenHash, hashSecret(token)), gt(webSessions.expiresAt, Date.now())))
    .get()?.accountId;
}

export function deleteSession(storage: Storage, token: string): void {
  storage.db.delete(webSessions).where(eq(webSessions.tokenHash, hashSecret(token))).run();
}
