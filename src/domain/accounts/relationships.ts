// Follows, follow requests, mutes, blocks and private notes between the owner and other accounts.
// Delivery of Follow/Undo/Block activities to remote servers arrives with federation; here the
// bookkeeping is complete: a follow of a remote account is a pending request until it is accepted.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import type { Storage } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import { accountNotes, accounts, blocks, followRequests, follows, listAccounts, lists, mutes } from "../../db/schema.ts";
import { ForbiddenError, ValidationError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { backfillHomeFeed, removeFromHomeFeed } from "../timelines/home-feed.ts";
import { getAccount } from "./queries.ts";

export interface Relationship {
  id: string;
  following: boolean;
  showing_reblogs: boolean;
  notifying: boolean;
  languages: string[] | null;
  followed_by: boolean;
  blocking: boolean;
  blocked_by: boolean;
  muting: boolean;
  muting_notifications: boolean;
  requested: boolean;
  requested_by: boolean;
  domain_blocking: boolean;
  endorsed: boolean;
  note: string;
}

/** Relationships of `ownerId` to each of `targetIds`, in a fixed number of queries. */
export function relationships(storage: Storage, ownerId: string, targetIds: string[]): Relationship[] {
  const ids = [...new Set(targetIds)];
  if (!ids.length) return [];
  const { db } = storage;
  const outFollows = new Map(db.select().from(follows).where(and(eq(follows.accountId, ownerId), inArray(follows.targetAccountId, ids))).all().map((f) => [f.targetAccountId, f]));
  const inFollows = new Set(db.select({ id: follows.accountId }).from(follows).where(and(eq(follows.targetAccountId, ownerId), inArray(follows.accountId, ids))).all().map((f) => f.id));
  const outRequests = new Map(db.select().from(followRequests).where(and(eq(followRequests.accountId, ownerId), inArray(followRequests.targetAccountId, ids))).all().map((f) => [f.targetAccountId, f]));
  const inRequests = new Set(db.select({ id: followRequests.accountId }).from(followRequests).where(and(eq(followRequests.targetAccountId, ownerId), inArray(followRequests.accountId, ids))).all().map((f) => f.id));
  const blocking = new Set(db.select({ id: blocks.targetAccountId }).from(blocks).where(and(eq(blocks.accountId, ownerId), inArray(blocks.targetAccountId, ids))).all().map((b) => b.id));
  const blockedBy = new Set(db.select({ id: blocks.accountId }).from(blocks).where(and(eq(blocks.targetAccountId, ownerId), inArray(blocks.accountId, ids))).all().map((b) => b.id));
  const now = Date.now();
  const muting = new Map(
    db.select().from(mutes).where(and(eq(mutes.accountId, ownerId), inArray(mutes.targetAccountId, ids))).all()
      .filter((m) => m.expiresAt === null || m.expiresAt > now)
      .map((m) => [m.targetAccountId, m]),
  );
  const notes = new Map(db.select().from(accountNotes).where(and(eq(accountNotes.accountId, ownerId), inArray(accountNotes.targetAccountId, ids))).all().map((n) => [n.targetAccountId, n.comment]));
  return targetIds.map((id) => {
    const follow = outFollows.get(id) ?? outRequests.get(id);
    return {
      id,
      following: outFollows.has(id),
      showing_reblogs: follow?.showReblogs ?? false,
      notifying: follow?.notify ?? false,
      languages: follow?.languages ? (JSON.parse(follow.languages) as string[]) : null,
      followed_by: inFollows.has(id),
      blocking: blocking.has(id),
      blocked_by: blockedBy.has(id),
      muting: muting.has(id),
      muting_notifications: muting.get(id)?.hideNotifications ?? false,
      requested: outRequests.has(id),
      requested_by: inRequests.has(id),
      domain_blocking: false,
      endorsed: false,
      note: notes.get(id) ?? "",
    };
  });
}

function adjustCounts(tx: Pick<Storage["db"], "update">, followerId: string, followedId: string, delta: 1 | -1): void {
  tx.update(accounts).set({ followingCount: sql`max(0, ${accounts.followingCount} + ${delta})` }).where(eq(accounts.id, followerId)).run();
  tx.update(accounts).set({ followersCount: sql`max(0, ${accounts.followersCount} + ${delta})` }).where(eq(accounts.id, followedId)).run();
}

export interface FollowOptions {
  reblogs?: boolean;
  notify?: boolean;
  languages?: string[] | null;
}

export function followAccount(ctx: Context, ownerId: string, targetId: string, options: FollowOptions = {}): Relationship {
  const target = getAccount(ctx.storage, targetId);
  if (target.id === ownerId) throw new ForbiddenError("This action is not allowed");
  const languages = options.languages === undefined ? undefined : options.languages === null || options.languages.length === 0 ? null : JSON.stringify(options.languages);
  ctx.storage.db.transaction((tx) => {
    if (tx.select().from(blocks).where(or(and(eq(blocks.accountId, ownerId), eq(blocks.targetAccountId, targetId)), and(eq(blocks.accountId, targetId), eq(blocks.targetAccountId, ownerId)))).get()) {
      throw new ForbiddenError("This action is not allowed");
    }
    const settings = {
      ...(options.reblogs === undefined ? {} : { showReblogs: options.reblogs }),
      ...(options.notify === undefined ? {} : { notify: options.notify }),
      ...(languages === undefined ? {} : { languages }),
    };
    const existing = tx.select().from(follows).where(and(eq(follows.accountId, ownerId), eq(follows.targetAccountId, targetId))).get();
    if (existing) {
      if (Object.keys(settings).length) tx.update(follows).set(settings).where(eq(follows.id, existing.id)).run();
      return;
    }
    const now = Date.now();
    const row = { id: newId(now), accountId: ownerId, targetAccountId: targetId, createdAt: now, showReblogs: true, notify: false, languages: null as string | null, ...settings };
    if (target.domain !== null) {
      // A remote account answers with Accept (or Reject); until then the follow is requested.
      const pending = tx.select({ id: followRequests.id }).from(followRequests).where(and(eq(followRequests.accountId, ownerId), eq(followRequests.targetAccountId, targetId))).get();
      if (pending) {
        if (Object.keys(settings).length) tx.update(followRequests).set(settings).where(eq(followRequests.id, pending.id)).run();
      } else {
        tx.insert(followRequests).values({ ...row, uri: `${ctx.config.publicUrl.origin}/follows/${row.id}` }).run();
      }
    } else {
      tx.insert(follows).values(row).run();
      adjustCounts(tx, ownerId, targetId, 1);
    }
  }, { behavior: "immediate" });
  // A follow that took effect at once (a local account) brings its recent posts home.
  if (target.domain === null) backfillHomeFeed(ctx, ownerId, targetId);
  return relationships(ctx.storage, ownerId, [targetId])[0]!;
}

/** Lists hold only followed accounts: leaving the follow leaves the owner's lists too. */
function removeFromLists(tx: Pick<Storage["db"], "delete" | "select">, ownerId: string, targetId: string): void {
  tx.delete(listAccounts)
    .where(and(eq(listAccounts.accountId, targetId), inArray(listAccounts.listId, tx.select({ id: lists.id }).from(lists).where(eq(lists.accountId, ownerId)))))
    .run();
}

export function unfollowAccount(ctx: Context, ownerId: string, targetId: string): Relationship {
  getAccount(ctx.storage, targetId);
  ctx.storage.db.transaction((tx) => {
    removeFromLists(tx, ownerId, targetId);
    const removed = tx.delete(follows).where(and(eq(follows.accountId, ownerId), eq(follows.targetAccountId, targetId))).returning({ id: follows.id }).all();
    if (removed.length) adjustCounts(tx, ownerId, targetId, -1);
    tx.delete(followRequests).where(and(eq(followRequests.accountId, ownerId), eq(followRequests.targetAccountId, targetId))).run();
  }, { behavior: "immediate" });
  removeFromHomeFeed(ctx, ownerId, targetId);
  return relationships(ctx.storage, ownerId, [targetId])[0]!;
}

/** Removes someone from the owner's followers (POST /accounts/:id/remove_from_followers). */
export function removeFollower(ctx: Context, ownerId: string, followerId: string): Relationship {
  getAccount(ctx.storage, followerId);
  ctx.storage.db.transaction((tx) => {
    const removed = tx.delete(follows).where(and(eq(follows.accountId, followerId), eq(follows.targetAccountId, ownerId))).returning({ id: follows.id }).all();
    if (removed.length) adjustCounts(tx, followerId, ownerId, -1);
  }, { behavior: "immediate" });
  return relationships(ctx.storage, ownerId, [followerId])[0]!;
}

export function blockAccount(ctx: Context, ownerId: string, targetId: string): Relationship {
  getAccount(ctx.storage, targetId);
  if (targetId === ownerId) throw new ForbiddenError("This action is not allowed");
  ctx.storage.db.transaction((tx) => {
    removeFromLists(tx, ownerId, targetId);
    // A block ends follows in both directions, as in Mastodon.
    for (const [a, b] of [[ownerId, targetId], [targetId, ownerId]] as const) {
      const removed = tx.delete(follows).where(and(eq(follows.accountId, a), eq(follows.targetAccountId, b))).returning({ id: follows.id }).all();
      if (removed.length) adjustCounts(tx, a, b, -1);
      tx.delete(followRequests).where(and(eq(followRequests.accountId, a), eq(followRequests.targetAccountId, b))).run();
    }
    tx.insert(blocks).values({ id: newId(), accountId: ownerId, targetAccountId: targetId, createdAt: Date.now() }).onConflictDoNothing().run();
  }, { behavior: "immediate" });
  removeFromHomeFeed(ctx, ownerId, targetId);
  return relationships(ctx.storage, ownerId, [targetId])[0]!;
}

export function unblockAccount(ctx: Context, ownerId: string, targetId: string): Relationship {
  getAccount(ctx.storage, targetId);
  ctx.storage.db.delete(blocks).where(and(eq(blocks.accountId, ownerId), eq(blocks.targetAccountId, targetId))).run();
  return relationships(ctx.storage, ownerId, [targetId])[0]!;
}

export function muteAccount(ctx: Context, ownerId: string, targetId: string, options: { notifications?: boolean; durationSeconds?: number }): Relationship {
  getAccount(ctx.storage, targetId);
  if (targetId === ownerId) throw new ForbiddenError("This action is not allowed");
  const duration = options.durationSeconds ?? 0;
  if (duration < 0) throw new ValidationError("Validation failed: Duration must be positive");
  const values = { hideNotifications: options.notifications ?? true, expiresAt: duration > 0 ? Date.now() + duration * 1000 : null };
  ctx.storage.db
    .insert(mutes)
    .values({ id: newId(), accountId: ownerId, targetAccountId: targetId, createdAt: Date.now(), ...values })
    .onConflictDoUpdate({ target: [mutes.accountId, mutes.targetAccountId], set: values })
    .run();
  return relationships(ctx.storage, ownerId, [targetId])[0]!;
}

export function unmuteAccount(ctx: Context, ownerId: string, targetId: string): Relationship {
  getAccount(ctx.storage, targetId);
  ctx.storage.db.delete(mutes).where(and(eq(mutes.accountId, ownerId), eq(mutes.targetAccountId, targetId))).run();
  return relationships(ctx.storage, ownerId, [targetId])[0]!;
}

export function setAccountNote(ctx: Context, ownerId: string, targetId: string, comment: string): Relationship {
  getAccount(ctx.storage, targetId);
  if ([...comment].length > 2000) throw new ValidationError("Validation failed: Comment is too long (maximum is 2000 characters)");
  if (comment.trim() === "") {
    ctx.storage.db.delete(accountNotes).where(and(eq(accountNotes.accountId, ownerId), eq(accountNotes.targetAccountId, targetId))).run();
  } else {
    ctx.storage.db
      .insert(accountNotes)
      .values({ accountId: ownerId, targetAccountId: targetId, comment, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: [accountNotes.accountId, accountNotes.targetAccountId], set: { comment, updatedAt: Date.now() } })
      .run();
  }
  return relationships(ctx.storage, ownerId, [targetId])[0]!;
}

/** Accepts a pending follow request to the owner. */
export function authorizeFollowRequest(ctx: Context, ownerId: string, requesterId: string): Relationship {
  getAccount(ctx.storage, requesterId);
  ctx.storage.db.transaction((tx) => {
    const request = tx.delete(followRequests).where(and(eq(followRequests.accountId, requesterId), eq(followRequests.targetAccountId, ownerId))).returning().get();
    if (!request) return;
    tx.insert(follows).values({ ...request, id: newId() }).onConflictDoNothing().run();
    adjustCounts(tx, requesterId, ownerId, 1);
  }, { behavior: "immediate" });
  return relationships(ctx.storage, ownerId, [requesterId])[0]!;
}

export function rejectFollowRequest(ctx: Context, ownerId: string, requesterId: string): Relationship {
  getAccount(ctx.storage, requesterId);
  ctx.storage.db.delete(followRequests).where(and(eq(followRequests.accountId, requesterId), eq(followRequests.targetAccountId, ownerId))).run();
  return relationships(ctx.storage, ownerId, [requesterId])[0]!;
}

/**
 * Someone follows a local account (a remote Follow, through federation): a request if the account is
 * locked, a follow otherwise, and a notification either way. Idempotent.
 */
export function receiveFollow(ctx: Context, followerId: string, targetId: string, options: { uri?: string } = {}): "following" | "requested" {
  const target = getAccount(ctx.storage, targetId);
  getAccount(ctx.storage, followerId);
  const outcome = ctx.storage.db.transaction((tx) => {
    if (tx.select({ id: blocks.id }).from(blocks).where(and(eq(blocks.accountId, targetId), eq(blocks.targetAccountId, followerId))).get()) {
      throw new ForbiddenError("This action is not allowed");
    }
    if (tx.select({ id: follows.id }).from(follows).where(and(eq(follows.accountId, followerId), eq(follows.targetAccountId, targetId))).get()) return "existing" as const;
    const row = { id: newId(), accountId: followerId, targetAccountId: targetId, uri: options.uri ?? null, createdAt: Date.now() };
    if (target.locked) {
      const inserted = tx.insert(followRequests).values(row).onConflictDoNothing().returning({ id: followRequests.id }).all();
      return inserted.length ? ("requested" as const) : ("existing-request" as const);
    }
    tx.insert(follows).values(row).run();
    adjustCounts(tx, followerId, targetId, 1);
    return "following" as const;
  }, { behavior: "immediate" });
  if (outcome === "following") notify(ctx, { recipientId: targetId, fromAccountId: followerId, type: "follow" });
  if (outcome === "requested") notify(ctx, { recipientId: targetId, fromAccountId: followerId, type: "follow_request" });
  return outcome === "existing" || outcome === "following" ? "following" : "requested";
}
