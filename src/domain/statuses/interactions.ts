// The owner's marks on statuses: favourite, boost, bookmark, pin, and muting a conversation.
import { and, count, eq, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { newId } from "../../db/ids.ts";
import { bookmarks, conversationMutes, favourites, statusPins, statuses } from "../../db/schema.ts";
import { getAccount } from "../accounts/queries.ts";
import { notify } from "../notifications/notify.ts";
import { addToHomeFeeds } from "../timelines/home-feed.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { getVisibleStatus, type StatusRow } from "./queries.ts";

export const MAX_PINS = 5;

/** The row as it is now, after a counter changed. */
function reload(ctx: Context, status: StatusRow): StatusRow {
  return ctx.storage.db.select().from(statuses).where(eq(statuses.id, status.id)).get() ?? status;
}

/** The status itself, or the original when given a boost (interactions apply to the original). */
function target(ctx: Context, viewerId: string, statusId: string): StatusRow {
  const status = getVisibleStatus(ctx.storage, statusId, viewerId);
  return status.reblogOfId ? getVisibleStatus(ctx.storage, status.reblogOfId, viewerId) : status;
}

/** Favourites a status (the owner, or a remote account through federation, with its Like's `uri`). */
export function favouriteStatus(ctx: Context, accountId: string, statusId: string, options: { uri?: string } = {}): StatusRow {
  const status = target(ctx, accountId, statusId);
  const added = ctx.storage.db.transaction((tx) => {
    const inserted = tx.insert(favourites).values({ id: newId(), accountId, statusId: status.id, uri: options.uri ?? null, createdAt: Date.now() }).onConflictDoNothing().returning({ id: favourites.id }).all();
    if (inserted.length) tx.update(statuses).set({ favouritesCount: sql`${statuses.favouritesCount} + 1` }).where(eq(statuses.id, status.id)).run();
    return inserted.length > 0;
  }, { behavior: "immediate" });
  if (added) notify(ctx, { recipientId: status.accountId, fromAccountId: accountId, type: "favourite", statusId: status.id });
  return reload(ctx, status);
}

export function unfavouriteStatus(ctx: Context, accountId: string, statusId: string): StatusRow {
  const status = target(ctx, accountId, statusId);
  ctx.storage.db.transaction((tx) => {
    const removed = tx.delete(favourites).where(and(eq(favourites.accountId, accountId), eq(favourites.statusId, status.id))).returning({ id: favourites.id }).all();
    if (removed.length) tx.update(statuses).set({ favouritesCount: sql`max(0, ${statuses.favouritesCount} - 1)` }).where(eq(statuses.id, status.id)).run();
  }, { behavior: "immediate" });
  return reload(ctx, status);
}

/** Boosts a status; returns the boost (an existing one if already boosted). Remote boosts pass their Announce `uri`. */
export function reblogStatus(ctx: Context, accountId: string, statusId: string, visibility = "public", options: { uri?: string; url?: string } = {}): StatusRow {
  const status = target(ctx, accountId, statusId);
  if (status.visibility === "direct" || (status.visibility === "private" && status.accountId !== accountId)) {
    throw new ForbiddenError("This action is not allowed");
  }
  if (!["public", "unlisted", "private"].includes(visibility)) throw new ValidationError("Validation failed: Visibility is not included in the list");
  const owner = getAccount(ctx.storage, accountId);
  const existing = ctx.storage.db.select().from(statuses).where(and(eq(statuses.accountId, accountId), eq(statuses.reblogOfId, status.id))).get();
  if (existing) return existing;
  const now = Date.now();
  const id = newId(now);
  const base = ctx.config.publicUrl.origin;
  const reblog = ctx.storage.db.transaction((tx) => {
    const row = tx
      .insert(statuses)
      .values({
        id,
        uri: options.uri ?? `${base}/users/${owner.username}/statuses/${id}/activity`,
        url: options.url ?? (owner.domain === null ? `${base}/@${owner.username}/${id}` : null),
        accountId,
        reblogOfId: status.id,
        visibility: status.visibility === "private" ? "private" : (visibility as "public" | "unlisted" | "private"),
        local: owner.domain === null,
        conversationId: status.conversationId,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    tx.update(statuses).set({ reblogsCount: sql`${statuses.reblogsCount} + 1` }).where(eq(statuses.id, status.id)).run();
    return row;
  }, { behavior: "immediate" });
  addToHomeFeeds(ctx, reblog);
  ctx.events.publish("status.created", { statusId: reblog.id, accountId });
  notify(ctx, { recipientId: status.accountId, fromAccountId: accountId, type: "reblog", statusId: status.id });
  return reblog;
}

/** Removes the owner's boost of a status; returns the original. */
export function unreblogStatus(ctx: Context, accountId: string, statusId: string): StatusRow {
  const status = target(ctx, accountId, statusId);
  const removed = ctx.storage.db.transaction((tx) => {
    const rows = tx.delete(statuses).where(and(eq(statuses.accountId, accountId), eq(statuses.reblogOfId, status.id))).returning({ id: statuses.id }).all();
    if (rows.length) tx.update(statuses).set({ reblogsCount: sql`max(0, ${statuses.reblogsCount} - ${rows.length})` }).where(eq(statuses.id, status.id)).run();
    return rows;
  }, { behavior: "immediate" });
  for (const r of removed) ctx.events.publish("status.deleted", { statusId: r.id, accountId });
  return reload(ctx, status);
}

export function bookmarkStatus(ctx: Context, accountId: string, statusId: string): StatusRow {
  const status = target(ctx, accountId, statusId);
  ctx.storage.db.insert(bookmarks).values({ id: newId(), accountId, statusId: status.id, createdAt: Date.now() }).onConflictDoNothing().run();
  return status;
}

export function unbookmarkStatus(ctx: Context, accountId: string, statusId: string): StatusRow {
  const status = target(ctx, accountId, statusId);
  ctx.storage.db.delete(bookmarks).where(and(eq(bookmarks.accountId, accountId), eq(bookmarks.statusId, status.id))).run();
  return status;
}

export function pinStatus(ctx: Context, accountId: string, statusId: string): StatusRow {
  const status = getVisibleStatus(ctx.storage, statusId, accountId);
  if (status.accountId !== accountId || status.reblogOfId) throw new ValidationError("Validation failed: You can only pin your own posts");
  if (status.visibility === "direct") throw new ValidationError("Validation failed: Private mentions cannot be pinned");
  ctx.storage.db.transaction((tx) => {
    if (tx.select({ id: statusPins.id }).from(statusPins).where(and(eq(statusPins.accountId, accountId), eq(statusPins.statusId, status.id))).get()) return;
    const pinned = tx.select({ n: count() }).from(statusPins).where(eq(statusPins.accountId, accountId)).get()!.n;
    if (pinned >= MAX_PINS) throw new ValidationError("Validation failed: You have already pinned the maximum number of posts");
    tx.insert(statusPins).values({ id: newId(), accountId, statusId: status.id, createdAt: Date.now() }).run();
  }, { behavior: "immediate" });
  return status;
}

export function unpinStatus(ctx: Context, accountId: string, statusId: string): StatusRow {
  const status = getVisibleStatus(ctx.storage, statusId, accountId);
  ctx.storage.db.delete(statusPins).where(and(eq(statusPins.accountId, accountId), eq(statusPins.statusId, status.id))).run();
  return status;
}

export function muteConversation(ctx: Context, accountId: string, statusId: string, mute: boolean): StatusRow {
  const status = getVisibleStatus(ctx.storage, statusId, accountId);
  const conversationId = status.conversationId ?? status.id;
  if (!conversationId) throw new NotFoundError();
  if (mute) ctx.storage.db.insert(conversationMutes).values({ accountId, conversationId }).onConflictDoNothing().run();
  else ctx.storage.db.delete(conversationMutes).where(and(eq(conversationMutes.accountId, accountId), eq(conversationMutes.conversationId, conversationId))).run();
  return status;
}
