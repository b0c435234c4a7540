// methods/tags.md, followed_tags.md, featured_tags.md
import { Elysia, t } from "elysia";
import { and, count, desc, eq, inArray } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { featuredTags, followedTags, statuses, statusTags, tags } from "../../db/schema.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { getAccount } from "../../domain/accounts/queries.ts";
import { featureTag, findTag, followTag, renderFeaturedTags, tagHistory, unfollowTag, type TagRow } from "../../domain/tags.ts";
import { publicOrScoped, requireUser } from "../auth.ts";
import { pageConditions, pageOrder, pagedResponse, pageQuery, pageRows, readPage } from "../pagination.ts";

export function renderTags(ctx: Context, rows: TagRow[], viewerId: string | null) {
  const history = tagHistory(ctx, rows.map((r) => r.id));
  const ids = rows.map((r) => r.id);
  const following = viewerId && ids.length ? new Set(ctx.storage.db.select({ id: followedTags.tagId }).from(followedTags).where(and(eq(followedTags.accountId, viewerId), inArray(followedTags.tagId, ids))).all().map((r) => r.id)) : null;
  const featuring = viewerId && ids.length ? new Set(ctx.storage.db.select({ id: featuredTags.tagId }).from(featuredTags).where(and(eq(featuredTags.accountId, viewerId), inArray(featuredTags.tagId, ids))).all().map((r) => r.id)) : null;
  return rows.map((r) => ({
    id: r.id,
    name: r.displayName,
    url: `${ctx.config.publicUrl.origin}/tags/${encodeURIComponent(r.name)}`,
    history: history.get(r.id) ?? [],
    ...(following ? { following: following.has(r.id), featuring: featuring!.has(r.id) } : {}),
  }));
}

export function tagsRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const profileUrl = (accountId: string) => {
    const a = getAccount(ctx.storage, accountId);
    return a.url ?? a.uri;
  };
  return new Elysia()
    .get("/api/v1/tags/:name", ({ request, params }) => {
      const viewer = publicOrScoped(ctx, request, ["read:follows"]);
      const tag = findTag(ctx, params.name);
      if (!tag) throw new NotFoundError();
      return renderTags(ctx, [tag], viewer?.accountId ?? null)[0];
    })
    .post("/api/v1/tags/:name/follow", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:follows"]);
      return renderTags(ctx, [followTag(ctx, viewer.accountId, params.name)], viewer.accountId)[0];
    })
    .post("/api/v1/tags/:name/unfollow", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:follows"]);
      return renderTags(ctx, [unfollowTag(ctx, viewer.accountId, params.name)], viewer.accountId)[0];
    })
    .get(
      "/api/v1/followed_tags",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:follows"]);
        const page = readPage(query, 100, 200);
        const rows = pageRows(
          db.select({ id: followedTags.id, tag: tags }).from(followedTags).innerJoin(tags, eq(followedTags.tagId, tags.id)).where(and(eq(followedTags.accountId, viewer.accountId), ...pageConditions(followedTags.id, page))).orderBy(pageOrder(followedTags.id, page)).limit(page.limit).all(),
          page,
        );
        return pagedResponse(ctx.config.publicUrl, request, renderTags(ctx, rows.map((r) => r.tag), viewer.accountId), rows.map((r) => r.id));
      },
      { query: t.Object(pageQuery) },
    )
    .get("/api/v1/featured_tags", ({ request }) => {
      const viewer = requireUser(ctx, request, ["read:accounts"]);
      return renderFeaturedTags(ctx, viewer.accountId, profileUrl(viewer.accountId));
    })
    .post(
      "/api/v1/featured_tags",
      ({ request, body }) => {
        const viewer = requireUser(ctx, request, ["write:accounts"]);
        const row = featureTag(ctx, viewer.accountId, body.name);
        return renderFeaturedTags(ctx, viewer.accountId, profileUrl(viewer.accountId)).find((f) => f.id === row.id);
      },
      { body: t.Object({ name: t.String({ maxLength: 200 }) }) },
    )
    .get("/api/v1/featured_tags/suggestions", ({ request }) => {
      const viewer = requireUser(ctx, request, ["read:accounts"]);
      // The owner's ten most used hashtags.
      const used = db
        .select({ tag: tags, uses: count() })
        .from(statusTags)
        .innerJoin(statuses, eq(statusTags.statusId, statuses.id))
        .innerJoin(tags, eq(statusTags.tagId, tags.id))
        .where(eq(statuses.accountId, viewer.accountId))
        .groupBy(tags.id)
        .orderBy(desc(count()))
        .limit(10)
        .all();
      return renderTags(ctx, used.map((u) => u.tag), viewer.accountId);
    })
    .delete("/api/v1/featured_tags/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:accounts"]);
      const removed = db.delete(featuredTags).where(and(eq(featuredTags.id, params.id), eq(featuredTags.accountId, viewer.accountId))).returning().all();
      if (!removed.length) throw new NotFoundError();
      return {};
    })
    .get("/api/v1/accounts/:id/featured_tags", ({ request, params }) => {
      publicOrScoped(ctx, request, ["read:accounts"]);
      return renderFeaturedTags(ctx, getAccount(ctx.storage, params.id).id, profileUrl(params.id));
    });
}
