// methods/timelines.md (home, public, tag), favourites.md, bookmarks.md
import { Elysia, t } from "elysia";
import { and, asc, desc, eq, exists, inArray, isNull, notExists, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Context } from "../../context.ts";
import { toStoredId } from "../../db/ids.ts";
import { accounts, blocks, bookmarks, favourites, follows, homeFeed, listAccounts, lists, mediaAttachments, mutes, statuses, statusTags, tags } from "../../db/schema.ts";
import { getList } from "../../domain/lists.ts";
import { visibleTo, visibleToViewer } from "../../domain/statuses/queries.ts";
import { prepared } from "../../db/prepared.ts";
import { publicOrScoped, requireUser } from "../auth.ts";
import { renderStatuses } from "../entities/status.ts";
import { statusPage } from "../pages.ts";
import { pageConditions, pageOrder, pagedResponse, pageQuery, pageRows, readPage } from "../pagination.ts";
import { flag, list } from "../params.ts";

/** A viewer id as SQL. Raw SQL binds values as given, so ids go in their stored (padded) form. */
const asViewer = (viewerId: string): SQL => sql`${toStoredId(viewerId)}`;

/** The viewer has muted (unexpired) or blocked this account column. */
function silenced(viewer: SQL, account: SQL | typeof statuses.accountId, now: SQL = sql`${Date.now()}`): SQL {
  return sql`(${account} IN (SELECT ${mutes.targetAccountId} FROM ${mutes} WHERE ${mutes.accountId} = ${viewer} AND (${mutes.expiresAt} IS NULL OR ${mutes.expiresAt} > ${now}))
    OR ${account} IN (SELECT ${blocks.targetAccountId} FROM ${blocks} WHERE ${blocks.accountId} = ${viewer}))`;
}

export function timelinesRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const original = alias(statuses, "original");

  const followed = (viewer: SQL) => sql`SELECT ${follows.targetAccountId} FROM ${follows} WHERE ${follows.accountId} = ${viewer}`;

  /**
   * What is checked when reading the (materialized) home feed: visibility, mutes and blocks of authors
   * and of boosted authors, boosts from accounts followed with reblogs off, exclusive lists.
   */
  const homeConditions = (viewer: SQL, now: SQL): SQL[] => {
    // Members of exclusive lists are read in those lists, not in home.
    const exclusiveMembers = sql`SELECT ${listAccounts.accountId} FROM ${listAccounts} JOIN ${lists} ON ${lists.id} = ${listAccounts.listId} WHERE ${lists.accountId} = ${viewer} AND ${lists.exclusive} = 1`;
    return [
      sql`${homeFeed.accountId} = ${viewer}`,
      or(sql`${statuses.accountId} = ${viewer}`, sql`${statuses.accountId} NOT IN (${exclusiveMembers})`)!,
      visibleToViewer(viewer),
      sql`NOT ${silenced(viewer, statuses.accountId, now)}`,
      or(
        isNull(statuses.reblogOfId),
        and(
          notExists(db.select({ one: sql`1` }).from(follows).where(and(sql`${follows.accountId} = ${viewer}`, eq(follows.targetAccountId, statuses.accountId), eq(follows.showReblogs, false)))),
          notExists(db.select({ one: sql`1` }).from(original).where(and(eq(original.id, statuses.reblogOfId), sql`${silenced(viewer, sql`${original.accountId}`, now)}`))),
        ),
      )!,
    ];
  };


  const publicConditions = (query: { local?: boolean; remote?: boolean; only_media?: boolean }, viewerId: string | null): SQL[] => {
    const conditions: SQL[] = [eq(statuses.visibility, "public"), isNull(statuses.reblogOfId)];
    if (query.local) conditions.push(eq(statuses.local, true));
    if (query.remote) conditions.push(eq(statuses.local, false));
    if (query.only_media) conditions.push(exists(db.select({ one: sql`1` }).from(mediaAttachments).where(eq(mediaAttachments.statusId, statuses.id))));
    if (viewerId) conditions.push(sql`NOT ${silenced(asViewer(viewerId), statuses.accountId)}`);
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

  /** The home timeline is the hottest query: prepared once, newest-first and min_id (ascending) variants. */
  const homeQuery = (ascending: boolean) =>
    prepared(ctx.storage, `home-${ascending}`, () => {
      const p = (name: string) => sql`${sql.placeholder(name)}`;
      return db
        .select({ status: statuses })
        .from(homeFeed)
        .innerJoin(statuses, eq(statuses.id, homeFeed.statusId))
        .where(
          and(
            ...homeConditions(p("viewer"), p("now")),
            sql`(${p("max")} IS NULL OR ${homeFeed.statusId} < ${p("max")})`,
            sql`(${p("since")} IS NULL OR ${homeFeed.statusId} > ${p("since")})`,
            sql`(${p("min")} IS NULL OR ${homeFeed.statusId} > ${p("min")})`,
          ),
        )
        .orderBy(ascending ? asc(homeFeed.statusId) : desc(homeFeed.statusId))
        .limit(sql.placeholder("limit"))
        .prepare();
    });

  return new Elysia()
    .get(
      "/api/v1/timelines/home",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:statuses"]);
        const p = readPage(query, 20, 40);
        const stored = (id?: string) => (id ? toStoredId(id) : null);
        const rows = pageRows(
          homeQuery(!!p.minId).all({ viewer: toStoredId(viewer.accountId), now: Date.now(), max: stored(p.maxId), since: stored(p.sinceId), min: stored(p.minId), limit: p.limit }).map((r) => r.status),
          p,
        );
        return pagedResponse(ctx.config.publicUrl, request, renderStatuses(ctx, rows, viewer.accountId, { filterContext: "home" }), rows.map((r) => r.id));
      },
      { query: t.Object(pageQuery) },
    )
    .get(
      "/api/v1/timelines/public",
      ({ request, query }) => {
        const viewer = publicOrScoped(ctx, request, ["read:statuses"]);
        const viewerId = viewer?.accountId ?? null;
        return statusPage(ctx, request, query, publicConditions(query, viewerId), viewerId, "public");
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
        return statusPage(ctx, request, query, conditions, viewerId, "public");
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
              : or(notReply, eq(statuses.inReplyToAccountId, viewer.accountId), sql`${statuses.inReplyToAccountId} IN (${followed(asViewer(viewer.accountId))})`)!;
        return statusPage(ctx, request, query, [sql`${statuses.accountId} IN (${members})`, visibleTo(viewer.accountId), sql`NOT ${silenced(asViewer(viewer.accountId), statuses.accountId)}`, replies], viewer.accountId, "home");
      },
      { query: t.Object(pageQuery) },
    )
    .get("/api/v1/favourites", ({ request, query }) => marked(request, favourites, requireUser(ctx, request, ["read:favourites"]).accountId, query), { query: t.Object(pageQuery) })
    .get("/api/v1/bookmarks", ({ request, query }) => marked(request, bookmarks, requireUser(ctx, request, ["read:bookmarks"]).accountId, query), { query: t.Object(pageQuery) });
}

