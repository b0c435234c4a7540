// Rows that federation will create once it exists: remote accounts and their follow requests.
import { newId } from "../../src/db/ids.ts";
import { eq } from "drizzle-orm";
import { accounts, followRequests, follows, mentions, statuses, statusTags, tags } from "../../src/db/schema.ts";
import { escapeHtml } from "../../src/text/format.ts";
import { addToHomeFeeds } from "../../src/domain/timelines/home-feed.ts";
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


export function insertFollow(server: TestServer, fromId: string, toId: string, showReblogs = true) {
  server.ctx.storage.db.insert(follows).values({ id: newId(), accountId: fromId, targetAccountId: toId, showReblogs, createdAt: Date.now() }).run();
}

export function insertRemoteStatus(
  server: TestServer,
  account: { id: string; username: string; domain: string | null },
  options: { text?: string; visibility?: "public" | "unlisted" | "private" | "direct"; reblogOfId?: string; mentionIds?: string[]; inReplyToId?: string; tags?: string[] } = {},
) {
  const id = newId();
  const now = Date.now();
  const row = server.ctx.storage.db
    .insert(statuses)
    .values({
      id,
      uri: `https://${account.domain}/users/${account.username}/statuses/${id}`,
      url: `https://${account.domain}/@${account.username}/${id}`,
      accountId: account.id,
      text: options.text ?? "",
      content: options.reblogOfId ? "" : `<p>${escapeHtml(options.text ?? "remote post")}</p>`,
      visibility: options.visibility ?? "public",
      reblogOfId: options.reblogOfId ?? null,
      inReplyToId: options.inReplyToId ?? null,
      local: false,
      conversationId: id,
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
  for (const m of options.mentionIds ?? []) server.ctx.storage.db.insert(mentions).values({ id: newId(), statusId: id, accountId: m }).run();
  for (const name of options.tags ?? []) {
    server.ctx.storage.db.insert(tags).values({ id: newId(), name: name.toLowerCase(), displayName: name, createdAt: now }).onConflictDoNothing().run();
    const tag = server.ctx.storage.db.select().from(tags).where(eq(tags.name, name.toLowerCase())).get()!;
    server.ctx.storage.db.insert(statusTags).values({ statusId: id, tagId: tag.id }).run();
  }
  // What federation does with an arriving status: into the home feeds it belongs in.
  addToHomeFeeds(server.ctx, row);
  return row;
}
