// Rows that federation will create once it exists: remote accounts and their follow requests.
import { newId } from "../../src/db/ids.ts";
import { accounts, followRequests } from "../../src/db/schema.ts";
import type { TestServer } from "./server.ts";

export function insertRemoteAccount(server: TestServer, username: string, domain = "remote.example", extra: Partial<typeof accounts.$inferInsert> = {}) {
  const now = Date.now();
  return server.ctx.storage.db
    .insert(accounts)
    .values({
      id: newId(now),
      username,
      domain,
      displayName: username[0]!.toUpperCase() + username.slice(1),
      note: "<p>remote bio</p>",
      uri: `https://${domain}/users/${username}`,
      url: `https://${domain}/@${username}`,
      inboxUrl: `https://${domain}/users/${username}/inbox`,
      createdAt: now,
      updatedAt: now,
      ...extra,
    })
    .returning()
    .get();
}

export function insertIncomingFollowRequest(server: TestServer, fromId: string, toId: string) {
  server.ctx.storage.db.insert(followRequests).values({ id: newId(), accountId: fromId, targetAccountId: toId, createdAt: Date.now() }).run();
}
