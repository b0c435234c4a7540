// Hashtags: lookup, use history, following and featuring.
import { and, count, desc, eq, gte, inArray, isNull, max, sql } from "drizzle-orm";
import type { Context } from "../context.ts";
import { newId } from "../db/ids.ts";
import { featuredTags, followedTags, statuses, statusTags, tags } from "../db/schema.ts";
import { NotFoundError, ValidationError } from "./errors.ts";

export type TagRow = typeof tags.$inferSelect;
const TAG_NAME = /^[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*$/u;

export function normalizeTagName(name: string): string {
  return decodeURIComponent(name).trim().replace(/^#/, "").toLowerCase();
}

export function findTag(ctx: Context, name: string): TagRow | undefined {
  return ctx.storage.db.select().from(tags).where(eq(tags.name, normalizeTagName(name))).get();
}

/** The tag, created if it is a valid name nobody has used yet (following a tag before its first use). */
export function findOrCreateTag(ctx: Context, name: string): TagRow {
  const clean = decodeURIComponent(name).trim().replace(/^#/, "");
  if (!TAG_NAME.test(clean) || [...clean].length > 100) throw new ValidationError("Validation failed: Name is not a valid hashtag");
  ctx.storage.db.insert(tags).values({ id: newId(), name: clean.toLowerCase(), displayName: clean, createdAt: Date.now() }).onConflictDoNothing().run();
  return findTag(ctx, clean)!;
}

/** Daily uses and distinct accounts over the last week, newest day first (Tag.history). */
export function tagHistory(ctx: Context, tagIds: string[]): Map<string, { day: string; uses: string; accounts: string }[]> {
  const dayMs = 86_400_000;
  const today = Math.floor(Date.now() / dayMs) * dayMs;
  const since = today - 6 * dayMs;
  const rows = tagIds.length
    ? ctx.storage.db
        .select({ tagId: statusTags.tagId, day: sql<number>`(${statuses.createdAt} / ${dayMs}) * ${dayMs}`, uses: count(), accounts: sql<number>`count(DISTINCT ${statuses.accountId})` })
        .from(statusTags)
        .innerJoin(statuses, eq(statusTags.statusId, statuses.id))
        .where(and(inArray(statusTags.tagId, tagIds), gte(statuses.createdAt, since), isNull(statuses.reblogOfId)))
        .groupBy(statusTags.tagId, sql`2`)
        .all()
    : [];
  const out = new Map<string, { day: string; uses: string; accounts: string }[]>();
  for (const id of tagIds) {
    out.set(
      id,
      Array.from({ length: 7 }, (_, i) => {
        const day = today - i * dayMs;
        const hit = rows.find((r) => r.tagId === id && Number(r.day) === day);
        return { day: String(day / 1000), uses: String(hit?.uses ?? 0), accounts: String(hit?.accounts ?? 0) };
      }),
    );
  }
  return out;
}

export function followTag(ctx: Context, accountId: string, name: string): TagRow {
  const tag = findOrCreateTag(ctx, name);
  ctx.storage.db.insert(followedTags).values({ id: newId(), accountId, tagId: tag.id }).onConflictDoNothing().run();
  return tag;
}

export function unfollowTag(ctx: Context, accountId: string, name: string): TagRow {
  const tag = findTag(ctx, name);
  if (!tag) throw new NotFoundError();
  ctx.storage.db.delete(followedTags).where(and(eq(followedTags.accountId, accountId), eq(followedTags.tagId, tag.id))).run();
  return tag;
}

export const MAX_FEATURED_TAGS = 10;

export function featureTag(ctx: Context, accountId: string, name: string) {
  const tag = findOrCreateTag(ctx, name);
  return ctx.storage.db.transaction((tx) => {
    const existing = tx.select().from(featuredTags).where(and(eq(featuredTags.accountId, accountId), eq(featuredTags.tagId, tag.id))).get();
    if (existing) return existing;
    if (tx.select({ n: count() }).from(featuredTags).where(eq(featuredTags.accountId, accountId)).get()!.n >= MAX_FEATURED_TAGS) {
      throw new ValidationError(`Validation failed: You can feature at most ${MAX_FEATURED_TAGS} hashtags`);
    }
    return tx.insert(featuredTags).values({ id: newId(), accountId, tagId: tag.id, createdAt: Date.now() }).returning().get();
  });
}

/** FeaturedTag entities: the tag with how often and when the account last used it. */
export function renderFeaturedTags(ctx: Context, accountId: string, profileUrl: string) {
  const rows = ctx.storage.db
    .select({ id: featuredTags.id, name: tags.displayName, lower: tags.name, tagId: tags.id })
    .from(featuredTags)
    .innerJoin(tags, eq(featuredTags.tagId, tags.id))
    .where(eq(featuredTags.accountId, accountId))
    .orderBy(desc(featuredTags.id))
    .all();
  return rows.map((r) => {
    const usage = ctx.storage.db
      .select({ n: count(), last: max(statuses.createdAt) })
      .from(statusTags)
      .innerJoin(statuses, eq(statusTags.statusId, statuses.id))
      .where(and(eq(statusTags.tagId, r.tagId), eq(statuses.accountId, accountId), eq(statuses.visibility, "public")))
      .get()!;
    return {
      id: r.id,
      name: r.name,
      url: `${profileUrl}/tagged/${encodeURIComponent(r.lower)}`,
      statuses_count: String(usage.n),
      last_status_at: usage.last ? new Date(usage.last).toISOString().slice(0, 10) : null,
    };
  });
}
