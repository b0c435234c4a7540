// Home feeds are written when statuses arrive, not computed when read. A status enters a local user's
// feed if they wrote it, follow its author (boosts only with reblogs on), are mentioned, or follow one of
// its hashtags (public posts). A boost of something already in the feed does not enter again.
import { and, desc, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { followedTags, follows, homeFeed, mentions, statuses, statusTags, users } from "../../db/schema.ts";
import type { StatusRow } from "../statuses/queries.ts";

/** How many of an account's recent statuses a new follow brings into the feed. */
const BACKFILL = 40;

function belongsInFeed(ctx: Context, userId: string, status: StatusRow): boolean {
  const { db } = ctx.storage;
  if (status.accountId === userId) return true;
  const follow = db.select({ showReblogs: follows.showReblogs }).from(follows).where(and(eq(follows.accountId, userId), eq(follows.targetAccountId, status.accountId))).get();
  if (status.reblogOfId) {
    if (!follow?.showReblogs) return false;
    // Repeated boosts collapse: the original, or an earlier boost of it, is already there.
    const already = db
      .select({ one: homeFeed.statusId })
      .from(homeFeed)
      .where(and(eq(homeFeed.accountId, userId), or(eq(homeFeed.statusId, status.reblogOfId), eq(homeFeed.reblogOfId, status.reblogOfId))))
      .get();
    return !already;
  }
  if (follow) return true;
  if (db.select({ one: mentions.id }).from(mentions).where(and(eq(mentions.statusId, status.id), eq(mentions.accountId, userId))).get()) return true;
  if (status.visibility === "public") {
    const tagged = db
      .select({ one: statusTags.tagId })
      .from(statusTags)
      .innerJoin(followedTags, eq(followedTags.tagId, statusTags.tagId))
      .where(and(eq(statusTags.statusId, status.id), eq(followedTags.accountId, userId)))
      .get();
    if (tagged) return true;
  }
  return false;
}

/** Puts a newly stored status into every local home feed it belongs in. Idempotent. */
export function addToHomeFeeds(ctx: Context, status: StatusRow): void {
  for (const { accountId } of ctx.storage.db.select({ accountId: users.accountId }).from(users).all()) {
    if (belongsInFeed(ctx, accountId, status)) {
      ctx.storage.db.insert(homeFeed).values({ accountId, statusId: status.id, reblogOfId: status.reblogOfId }).onConflictDoNothing().run();
    }
  }
}

/** A new follow brings the account's recent posts (and boosts, if wanted) into the user's feed. */
export function backfillHomeFeed(ctx: Context, userId: string, followedId: string): void {
  const { db } = ctx.storage;
  const follow = db.select().from(follows).where(and(eq(follows.accountId, userId), eq(follows.targetAccountId, followedId))).get();
  if (!follow) return;
  const recent = db
    .select()
    .from(statuses)
    .where(and(eq(statuses.accountId, followedId), ne(statuses.visibility, "direct"), follow.showReblogs ? undefined : isNull(statuses.reblogOfId)))
    .orderBy(desc(statuses.id))
    .limit(BACKFILL)
    .all()
    .reverse();
  for (const status of recent) if (belongsInFeed(ctx, userId, status)) db.insert(homeFeed).values({ accountId: userId, statusId: status.id, reblogOfId: status.reblogOfId }).onConflictDoNothing().run();
}

/** Unfollowing (or blocking) takes the account's posts out of the user's feed, except mentions of the user. */
export function removeFromHomeFeed(ctx: Context, userId: string, authorId: string): void {
  const { db } = ctx.storage;
  const mentioning = db.select({ id: mentions.statusId }).from(mentions).where(eq(mentions.accountId, userId));
  db.delete(homeFeed)
    .where(
      and(
        eq(homeFeed.accountId, userId),
        inArray(homeFeed.statusId, db.select({ id: statuses.id }).from(statuses).where(and(eq(statuses.accountId, authorId), sql`${statuses.id} NOT IN ${mentioning}`))),
      ),
    )
    .run();
}
