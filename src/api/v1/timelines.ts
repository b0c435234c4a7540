// methods/timelines.md (home, public, tag), favourites.md, bookmarks.md
import { Elysia, t } from "elysia";
import { and, eq, exists, inArray, isNull, notExists, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Context } from "../../context.ts";
import { toStoredId } from "../../db/ids.ts";
import { accounts, blocks, bookmarks, favourites, followedTags, follows, listAccounts, lists, mediaAttachments, mentions, mutes, statuses, statusTags, tags } from "../../db/schema.ts";
import { getList } from "../../domain/lists.ts";
import type { FilterContext } from "../../domain/filters.ts";
import { visibleTo } from "../../domain/statuses/queries.ts";
import { publicOrScoped, requireUser } from "../auth.ts";
import { renderStatuses } from "../entities/status.ts";
import { pageConditions, pageOrder, pagedResponse, pageQuery, pageRows, readPage } from "../pagination.ts";
import { flag, list } from "../params.ts";

/** The viewer has muted (unexpired) or blocked this account column. */
function silenced(viewerId: string, account: SQL | typeof statuses.accountId): SQL {
  // Raw SQL binds values as given: ids must be in their stored (padded) form.
  const viewer = toStoredId(viewerId);
  return sql`(${account} IN (SELECT ${mutes.targetAccountId} FROM ${mutes} WHERE ${mutes.accountId} = ${viewer} AND (${mutes.expiresAt} IS NULL OR ${mutes.expiresAt} > ${Date.now()}))
    OR ${account} IN (SELECT ${blocks.targetAccountId} FROM ${blocks} WHERE ${blocks.accountId} = ${viewer}))`;
}

export function timelinesRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const original = alias(statuses, "original");
  const earlier = alias(statuses, "earlier");

  const followed = (viewerId: string) => sql`SELECT ${follows.targetAccountId} FROM ${follows} WHERE ${follows.accountId} = ${toStoredId(viewerId)}`;

  /** Statuses by the owner or followed accounts, and statuses mentioning the owner. */
  const homeConditions = (viewerId: string): SQL[] => {
    const inHome = (col: typeof statuses.accountId | typeof earlier.accountId) => or(eq(col, viewerId), sql`${col} IN (${followed(viewerId)})`)!;
    // Members of exclusive lists are read in those lists, not in home.
    const exclusiveMembers = sql`SELECT ${listAccounts.accountId} FROM ${listAccounts} JOIN ${lists} ON ${lists.id} = ${listAccounts.listId} WHERE ${lists.accountId} = ${toStoredId(viewerId)} AND ${lists.exclusive} = 1`;
    return [
      or(eq(statuses.accountId, viewerId), sql`${statuses.accountId} NOT IN (${exclusiveMembers})`)!,
      or(
        inHome(statuses.accountId),
        exists(db.select({ one: sql`1` }).from(mentions).where(and(eq(mentions.statusId, statuses.id), eq(mentions.accountId, viewerId)))),
        // Public posts with a followed hashtag.
        and(
          eq(statuses.visibility, "public"),
          sql`EXISTS (SELECT 1 FROM ${statusTags} JOIN ${followedTags} ON ${followedTags.tagId} = ${statusTags.tagId} WHERE ${statusTags.statusId} = ${statuses.id} AND ${followedTags.accountId} = ${toStoredId(viewerId)})`,
        ),
      )!,
      visibleTo(viewerId),
      sql`NOT ${silenced(viewerId, statuses.accountId)}`,
      or(
        isNull(statuses.reblogOfId),
        and(
          // Boosts from accounts followed with reblogs off do not show.
          notExists(db.select({ one: sql`1` }).from(follows).where(and(eq(follows.accountId, viewerId), eq(follows.targetAccountId, statuses.accountId), eq(follows.showReblogs, false)))),
          // Nor boosts of muted or blocked authors.
          notExists(db.select({ one: sql`1` }).from(original).where(and(eq(original.id, statuses.reblogOfId), sql`${silenced(viewerId, sql`${original.accountId}`)}`))),
          // Repeated boosts collapse: the original (if its author is in home) or the first boost wins.
          notExists(
            db
              .select({ one: sql`1` })
              .from(earlier)
              .where(
                and(
                  sql`${earlier.id} < ${statuses.id}`,
                  or(eq(earlier.id, statuses.reblogOfId), eq(earlier.reblogOfId, statuses.reblogOfId)),
                  inHome(earlier.accountId),
                ),
              ),
          ),
        ),
      )!,
    ];
  };

  const page = (request: Request, conditions: SQL[], query: Parameters<typeof readPage>[0], viewerId: string | null, filterContext: FilterContext) => {
    const p = readPage(query, 20, 40);
    const rows = pageRows(db.select().from(statuses).where(and(...conditions, ...pageConditions(statuses.id, p))).orderBy(pageOrder(statuses.id, p)).limit(p.limit).all(), p);
    return pagedResponse(ctx.config.publicUrl, request, renderStatuses(ctx, rows, viewerId, { filterContext }), rows.map((r) => r.id));
  };

  const publicConditions = (query: { local?: boolean; remote?: boolean; only_media?: boolean }, viewerId: string | null): SQL[] => {
    const conditions: SQL[] = [eq(statuses.visibility, "public"), isNull(statuses.reblogOfId)];
    if (query.local) conditions.push(eq(statuses.local, true));
    if (query.remote) conditions.push(eq(statuses.local, false));
    if (query.only_media) conditions.push(exists(db.select({ one: sql`1` }).from(mediaAttachments).where(eq(mediaAttachments.statusId, statuses.id))));
    if (viewerId) conditions.push(sql`NOT ${silenced(viewerId, statuses.accountId)}`);
    conditions.push(notExists(db.select({ one: sql`1` }).from(accounts).where(and(eq(accounts.id, statuses.accountId), sql`${accounts.suspendedAt} IS NOT NULL`))));
    return conditions;
  };

  const timelineQuery = t.Object({ ...pageQuery, local: t.Optional(flag()), remote: t.Optional(flag()), only_media: t.Optional(flag()) });

  /** A page of statuses through a per-viewer table (favourites, bookmarks), paged by that table's ids. */
  const marked = (request: Request, table: typeof favourites | typeof bookmarks, viewerId: string, query: Parameters<typeof readPage>[0]) => {
    const p = readPage(query, 20, 40);
    const rows = pageRows(
      db
        .select({ markId: table.id, status: statuses })
        .from(table)
        .innerJoin(statuses, eq(table.statusId, statuses.id))
        .where(and(eq(table.accountId, viewerId), visibleTo(viewerId), ...pageConditions(table.id, p)))
        .orderBy(pageOrder(table.id, p))
        .limit(p.limit)
        .all(),
      p,
    );
    return pagedResponse(ctx.config.publicUrl, request, renderStatuses(ctx, rows.map((r) => r.status), viewerId), rows.map((r) => r.markId));
  };

  return new Elysia()
    .get(
      "/api/v1/timelines/home",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:statuses"]);
        return page(request, homeConditions(viewer.accountId), query, viewer.accountId, "home");
      },
      { query: t.Object(pageQuery) },
    )
    .get(
      "/api/v1/timelines/public",
      ({ request, query }) => {
        const viewer = publicOrScoped(ctx, request, ["read:statuses"]);
        const viewerId = viewer?.accountId ?? null;
        return page(request, publicConditions(query, viewerId), query, viewerId, "public");
      },
      { query: timelineQuery },
    )
    .get(
      "/api/v1/timelines/tag/:hashtag",
      ({ request, params, query }) => {
        const viewer = publicOrScoped(ctx, request, ["read:statuses"]);
        const viewerId = viewer?.accountId ?? null;
        const clean = (n: string) => decodeURIComponent(n).replace(/^#/, "").toLowerCase();
        const any = [clean(params.hashtag), ...(query.any ?? []).map(clean)];
        const conditions = publicConditions(query, viewerId);
        const hasTag = (names: string[]) =>
          exists(db.select({ one: sql`1` }).from(statusTags).innerJoin(tags, eq(statusTags.tagId, tags.id)).where(and(eq(statusTags.statusId, statuses.id), inArray(tags.name, names))));
        conditions.push(hasTag(any));
        for (const name of (query.all ?? []).map(clean)) conditions.push(hasTag([name]));
        const none = (query.none ?? []).map(clean);
        if (none.length) conditions.push(sql`NOT ${hasTag(none)}`);
        return page(request, conditions, query, viewerId, "public");
      },
      {
        query: t.Object({
          ...pageQuery,
          local: t.Optional(flag()),
          remote: t.Optional(flag()),
          only_media: t.Optional(flag()),
          any: t.Optional(list(t.String({ maxLength: 200 }))),
          all: t.Optional(list(t.String({ maxLength: 200 }))),
          none: t.Optional(list(t.String({ maxLength: 200 }))),
        }),
      },
    )
    .get(
      "/api/v1/timelines/list/:id",
      ({ request, params, query }) => {
        const viewer = requireUser(ctx, request, ["read:lists"]);
        const list = getList(ctx, viewer.accountId, params.id);
        const members = sql`SELECT ${listAccounts.accountId} FROM ${listAccounts} WHERE ${listAccounts.listId} = ${toStoredId(list.id)}`;
        const notReply = or(isNull(statuses.inReplyToAccountId), sql`${statuses.inReplyToAccountId} = ${statuses.accountId}`)!;
        const replies =
          list.repliesPolicy === "none"
            ? notReply
            : list.repliesPolicy === "list"
              ? or(notReply, sql`${statuses.inReplyToAccountId} IN (${members})`)!
              : or(notReply, eq(statuses.inReplyToAccountId, viewer.accountId), sql`${statuses.inReplyToAccountId} IN (${followed(viewer.accountId)})`)!;
        return page(request, [sql`${statuses.accountId} IN (${members})`, visibleTo(viewer.accountId), sql`NOT ${silenced(viewer.accountId, statuses.accountId)}`, replies], query, viewer.accountId, "home");
      },
      { query: t.Object(pageQuery) },
    )
    .get("/api/v1/favourites", ({ request, query }) => marked(request, favourites, requireUser(ctx, request, ["read:favourites"]).accountId, query), { query: t.Object(pageQuery) })
    .get("/api/v1/bookmarks", ({ request, query }) => marked(request, bookmarks, requireUser(ctx, request, ["read:bookmarks"]).accountId, query), { query: t.Object(pageQuery) });
}

