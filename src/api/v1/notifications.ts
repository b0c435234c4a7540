// methods/notifications.md (v1) and methods/grouped_notifications.md (v2).
import { Elysia, t } from "elysia";
import { and, count, desc, eq, gt, inArray, notInArray, type SQL } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { markers, notifications } from "../../db/schema.ts";
import { findAccounts } from "../../domain/accounts/queries.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { GROUPABLE_TYPES } from "../../domain/notifications/notify.ts";
import { findVisibleStatuses } from "../../domain/statuses/queries.ts";
import { compareIds, isId } from "../../db/ids.ts";
import { requireUser } from "../auth.ts";
import { renderAccount } from "../entities/account.ts";
import { renderStatuses } from "../entities/status.ts";
import { linkHeader, pageConditions, pageOrder, pagedResponse, pageQuery, pageRows, readPage } from "../pagination.ts";
import { integer, list } from "../params.ts";

type NotificationRow = typeof notifications.$inferSelect;
const iso = (ms: number) => new Date(ms).toISOString();

const filterQuery = {
  ...pageQuery,
  types: t.Optional(list(t.String())),
  exclude_types: t.Optional(list(t.String())),
  account_id: t.Optional(t.String()),
  include_filtered: t.Optional(t.Any()),
};

/** A NotificationGroup from its notifications, newest first. */
function renderGroup(key: string, rows: NotificationRow[], total: number) {
  const latest = rows[0]!;
  return {
    group_key: key,
    notifications_count: total,
    type: latest.type,
    most_recent_notification_id: latest.id,
    page_min_id: rows[rows.length - 1]!.id,
    page_max_id: latest.id,
    latest_page_notification_at: iso(latest.createdAt),
    sample_account_ids: [...new Set(rows.map((r) => r.fromAccountId))].slice(0, 8),
    status_id: latest.statusId,
  };
}

export function notificationsRoutes(ctx: Context) {
  const { db } = ctx.storage;

  const filters = (viewerId: string, query: { types?: string[]; exclude_types?: string[]; account_id?: string }): SQL[] => {
    const conditions: SQL[] = [eq(notifications.accountId, viewerId)];
    if (query.types?.length) conditions.push(inArray(notifications.type, query.types));
    if (query.exclude_types?.length) conditions.push(notInArray(notifications.type, query.exclude_types));
    if (query.account_id) conditions.push(isId(query.account_id) ? eq(notifications.fromAccountId, query.account_id) : eq(notifications.id, "0"));
    return conditions;
  };

  /** Notifications with their accounts and statuses, loaded in batches; those whose status is gone are dropped. */
  const render = (rows: NotificationRow[], viewerId: string) => {
    const accounts = findAccounts(ctx.storage, rows.map((n) => n.fromAccountId));
    const statusRows = findVisibleStatuses(ctx.storage, rows.flatMap((n) => (n.statusId ? [n.statusId] : [])), viewerId);
    const rendered = new Map(renderStatuses(ctx, statusRows, viewerId, { filterContext: "notifications" }).map((s) => [s.id as string, s]));
    return rows.flatMap((n) => {
      const account = accounts.get(n.fromAccountId);
      if (!account || (n.statusId && !rendered.has(n.statusId))) return [];
      const entity: Record<string, unknown> = { id: n.id, type: n.type, group_key: n.groupKey, created_at: iso(n.createdAt), account: renderAccount(ctx.config, account) };
      if (n.statusId) entity.status = rendered.get(n.statusId);
      return [entity];
    });
  };

  const own = (viewerId: string, id: string) => {
    const row = isId(id) ? db.select().from(notifications).where(and(eq(notifications.id, id), eq(notifications.accountId, viewerId))).get() : undefined;
    if (!row) throw new NotFoundError();
    return row;
  };

  const unreadSince = (viewerId: string) => db.select().from(markers).where(and(eq(markers.accountId, viewerId), eq(markers.timeline, "notifications"))).get()?.lastReadId;

  return new Elysia()
    .get(
      "/api/v1/notifications",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:notifications"]);
        const page = readPage(query, 40, 80);
        const rows = pageRows(db.select().from(notifications).where(and(...filters(viewer.accountId, query), ...pageConditions(notifications.id, page))).orderBy(pageOrder(notifications.id, page)).limit(page.limit).all(), page);
        return pagedResponse(ctx.config.publicUrl, request, render(rows, viewer.accountId), rows.map((r) => r.id));
      },
      { query: t.Object(filterQuery) },
    )
    .get(
      "/api/v1/notifications/unread_count",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:notifications"]);
        const since = unreadSince(viewer.accountId);
        const limit = Math.min(query.limit ?? 100, 1000);
        const rows = db.select({ id: notifications.id }).from(notifications).where(and(...filters(viewer.accountId, query), ...(since && isId(since) ? [gt(notifications.id, since)] : []))).limit(limit).all();
        return { count: rows.length };
      },
      { query: t.Object({ limit: t.Optional(integer({ minimum: 1 })), types: t.Optional(list(t.String())), exclude_types: t.Optional(list(t.String())), account_id: t.Optional(t.String()) }) },
    )
    .post("/api/v1/notifications/clear", ({ request }) => {
      const viewer = requireUser(ctx, request, ["write:notifications"]);
      db.delete(notifications).where(eq(notifications.accountId, viewer.accountId)).run();
      return {};
    })
    .get("/api/v1/notifications/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["read:notifications"]);
      const rendered = render([own(viewer.accountId, params.id)], viewer.accountId);
      if (!rendered.length) throw new NotFoundError();
      return rendered[0];
    })
    .post("/api/v1/notifications/:id/dismiss", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:notifications"]);
      db.delete(notifications).where(eq(notifications.id, own(viewer.accountId, params.id).id)).run();
      return {};
    })
    .get(
      "/api/v2/notifications",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:notifications"]);
        const page = readPage(query, 40, 80);
        const grouped = new Set(query.grouped_types ?? GROUPABLE_TYPES);
        const conditions = filters(viewer.accountId, query);
        // Walk newest first (or upwards from min_id), gathering notifications into groups until `limit` groups.
        const groups = new Map<string, NotificationRow[]>();
        const scanned: NotificationRow[] = [];
        let cursor = page;
        for (let round = 0; round < 10 && groups.size < page.limit; round++) {
          const batch = pageRows(db.select().from(notifications).where(and(...conditions, ...pageConditions(notifications.id, cursor))).orderBy(pageOrder(notifications.id, cursor)).limit(page.limit * 4).all(), cursor);
          if (!batch.length) break;
          const ordered = cursor.minId ? [...batch].reverse() : batch; // nearest to the cursor first
          for (const n of ordered) {
            const key = grouped.has(n.type) ? n.groupKey : `ungrouped-${n.id}`;
            if (!groups.has(key)) {
              if (groups.size >= page.limit) break;
              groups.set(key, []);
            }
            groups.get(key)!.push(n);
            scanned.push(n);
          }
          const last = ordered[ordered.length - 1]!;
          cursor = cursor.minId ? { ...cursor, minId: last.id } : { ...cursor, maxId: last.id, sinceId: cursor.sinceId };
          if (batch.length < page.limit * 4) break;
        }
        const all = [...groups.entries()].map(([key, rows]) => ({ key, rows: rows.sort((a, b) => compareIds(b.id, a.id)) }));
        all.sort((a, b) => compareIds(b.rows[0]!.id, a.rows[0]!.id));
        const accountIds = new Set<string>();
        const statusIds = new Set<string>();
        const notificationGroups = all.map(({ key, rows }) => {
          const total = grouped.has(rows[0]!.type) && !key.startsWith("ungrouped-")
            ? db.select({ n: count() }).from(notifications).where(and(eq(notifications.accountId, viewer.accountId), eq(notifications.groupKey, key))).get()!.n
            : 1;
          const group = renderGroup(key, rows, total);
          group.sample_account_ids.forEach((a) => accountIds.add(a));
          if (group.status_id) statusIds.add(group.status_id);
          return group;
        });
        const accounts = findAccounts(ctx.storage, [...accountIds]);
        const statusRows = findVisibleStatuses(ctx.storage, [...statusIds], viewer.accountId);
        // Statuses hidden by a filter take their notification groups with them.
        const renderedStatuses = renderStatuses(ctx, statusRows, viewer.accountId, { filterContext: "notifications" });
        const visibleStatuses = new Set(renderedStatuses.map((s) => s.id as string));
        const body = {
          accounts: [...accountIds].flatMap((id) => (accounts.has(id) ? [renderAccount(ctx.config, accounts.get(id)!)] : [])),
          statuses: renderedStatuses,
          notification_groups: notificationGroups.filter((g) => !g.status_id || visibleStatuses.has(g.status_id)),
        };
        const ids = scanned.map((n) => n.id).sort((a, b) => compareIds(b, a));
        const headers: Record<string, string> = {};
        const link = linkHeader(ctx.config.publicUrl, request, ids[0], ids[ids.length - 1]);
        if (link) headers.link = link;
        return Response.json(body, { headers });
      },
      { query: t.Object({ ...filterQuery, grouped_types: t.Optional(list(t.String())), expand_accounts: t.Optional(t.String()) }) },
    )
    .get(
      "/api/v2/notifications/unread_count",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:notifications"]);
        const since = unreadSince(viewer.accountId);
        const grouped = new Set(query.grouped_types ?? GROUPABLE_TYPES);
        const rows = db.select({ key: notifications.groupKey, type: notifications.type, id: notifications.id }).from(notifications).where(and(...filters(viewer.accountId, query), ...(since && isId(since) ? [gt(notifications.id, since)] : []))).orderBy(desc(notifications.id)).limit(Math.min(query.limit ?? 100, 1000)).all();
        return { count: new Set(rows.map((r) => (grouped.has(r.type) ? r.key : `ungrouped-${r.id}`))).size };
      },
      { query: t.Object({ limit: t.Optional(integer({ minimum: 1 })), types: t.Optional(list(t.String())), exclude_types: t.Optional(list(t.String())), account_id: t.Optional(t.String()), grouped_types: t.Optional(list(t.String())) }) },
    )
    .get("/api/v2/notifications/:group_key/accounts", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["read:notifications"]);
      const rows = db.select({ from: notifications.fromAccountId }).from(notifications).where(and(eq(notifications.accountId, viewer.accountId), eq(notifications.groupKey, params.group_key))).orderBy(desc(notifications.id)).all();
      if (!rows.length) throw new NotFoundError();
      const ids = [...new Set(rows.map((r) => r.from))];
      const accounts = findAccounts(ctx.storage, ids);
      return ids.flatMap((id) => (accounts.has(id) ? [renderAccount(ctx.config, accounts.get(id)!)] : []));
    })
    .post("/api/v2/notifications/:group_key/dismiss", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:notifications"]);
      db.delete(notifications).where(and(eq(notifications.accountId, viewer.accountId), eq(notifications.groupKey, params.group_key))).run();
      return {};
    })
    .get("/api/v2/notifications/:group_key", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["read:notifications"]);
      const rows = db.select().from(notifications).where(and(eq(notifications.accountId, viewer.accountId), eq(notifications.groupKey, params.group_key))).orderBy(desc(notifications.id)).all();
      if (!rows.length) throw new NotFoundError();
      const group = renderGroup(params.group_key, rows, rows.length);
      const accounts = findAccounts(ctx.storage, group.sample_account_ids);
      const statusRows = group.status_id ? findVisibleStatuses(ctx.storage, [group.status_id], viewer.accountId) : [];
      return {
        accounts: group.sample_account_ids.flatMap((id) => (accounts.has(id) ? [renderAccount(ctx.config, accounts.get(id)!)] : [])),
        statuses: renderStatuses(ctx, statusRows, viewer.accountId, { filterContext: "notifications" }),
        notification_groups: [group],
      };
    });
}

