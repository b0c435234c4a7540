// Creating notifications for the owner. Called by the domain verbs when someone else acts on the
// owner (a remote favourite, boost, follow or mention arrives through federation).
import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { newId } from "../../db/ids.ts";
import { accounts, blocks, follows, mentions, mutes, notifications, statuses, users } from "../../db/schema.ts";

export const NOTIFICATION_TYPES = [
  "mention",
  "status",
  "reblog",
  "follow",
  "follow_request",
  "favourite",
  "poll",
  "update",
  "quote",
  "quoted_update",
  "admin.sign_up",
  "admin.report",
  "severed_relationships",
  "moderation_warning",
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Types grouped in v2 by default. */
export const GROUPABLE_TYPES: readonly NotificationType[] = ["favourite", "reblog", "follow"];

export function groupKeyFor(type: NotificationType, statusId: string | null, id: string, createdAt: number): string {
  if ((type === "favourite" || type === "reblog") && statusId) return `${type}-${statusId}`;
  if (type === "follow") return `follow-${Math.floor(createdAt / 86_400_000)}`;
  return `ungrouped-${id}`;
}

/** Notifies a local user, unless they muted (with notifications) or blocked the actor. Returns the id, if any. */
export function notify(ctx: Context, input: { recipientId: string; fromAccountId: string; type: NotificationType; statusId?: string | null }): string | undefined {
  // Nobody is notified of their own acts, except that their poll has ended.
  if (input.recipientId === input.fromAccountId && input.type !== "poll") return undefined;
  const { db } = ctx.storage;
  if (!db.select({ id: users.id }).from(users).where(eq(users.accountId, input.recipientId)).get()) return undefined;
  const now = Date.now();
  const silenced =
    db.select({ one: blocks.id }).from(blocks).where(and(eq(blocks.accountId, input.recipientId), eq(blocks.targetAccountId, input.fromAccountId))).get() ??
    db
      .select({ one: mutes.id })
      .from(mutes)
      .where(and(eq(mutes.accountId, input.recipientId), eq(mutes.targetAccountId, input.fromAccountId), eq(mutes.hideNotifications, true), or(isNull(mutes.expiresAt), gt(mutes.expiresAt, now))))
      .get();
  if (silenced) return undefined;
  if (!db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, input.fromAccountId)).get()) return undefined;
  const id = newId(now);
  db.insert(notifications)
    .values({ id, accountId: input.recipientId, fromAccountId: input.fromAccountId, type: input.type, statusId: input.statusId ?? null, groupKey: groupKeyFor(input.type, input.statusId ?? null, id, now), createdAt: now })
    .run();
  ctx.events.publish("notification.created", { notificationId: id, accountId: input.recipientId });
  return id;
}

/**
 * After someone else's status is stored (federation): local accounts it mentions get `mention`;
 * otherwise followers who asked to be notified of the author's posts get `status`.
 */
export function notifyNewStatus(ctx: Context, statusId: string): void {
  const { db } = ctx.storage;
  const status = db.select().from(statuses).where(eq(statuses.id, statusId)).get();
  if (!status || status.reblogOfId) return;
  const mentioned = new Set(db.select({ id: mentions.accountId }).from(mentions).where(eq(mentions.statusId, statusId)).all().map((m) => m.id));
  for (const { accountId } of db.select({ accountId: users.accountId }).from(users).all()) {
    if (accountId === status.accountId) continue;
    if (mentioned.has(accountId)) {
      notify(ctx, { recipientId: accountId, fromAccountId: status.accountId, type: "mention", statusId });
    } else if (db.select({ id: follows.id }).from(follows).where(and(eq(follows.accountId, accountId), eq(follows.targetAccountId, status.accountId), eq(follows.notify, true))).get()) {
      notify(ctx, { recipientId: accountId, fromAccountId: status.accountId, type: "status", statusId });
    }
  }
}
