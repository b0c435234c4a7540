// methods/conversations.md: direct messages grouped by conversation.
import { Elysia, t } from "elysia";
import { and, eq, inArray, max, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { conversationStates, mentions, statuses } from "../../db/schema.ts";
import { compareIds, fromStoredId, toStoredId } from "../../db/ids.ts";
import { findAccounts } from "../../domain/accounts/queries.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { findVisibleStatuses, visibleTo } from "../../domain/statuses/queries.ts";
import { requireUser } from "../auth.ts";
import { renderAccount } from "../entities/account.ts";
import { renderStatuses } from "../entities/status.ts";
import { pagedResponse, pageQuery, readPage } from "../pagination.ts";

export function conversationsRoutes(ctx: Context) {
  const { db } = ctx.storage;

  /** The newest visible direct status per conversation, newest conversations first, paged by that status's id. */
  const latest = (viewerId: string, page: ReturnType<typeof readPage>, conversationId?: string) => {
    const last = max(statuses.id);
    const having = [
      page.maxId ? sql`${last} < ${toStoredId(page.maxId)}` : undefined,
      page.sinceId ? sql`${last} > ${toStoredId(page.sinceId)}` : undefined,
      page.minId ? sql`${last} > ${toStoredId(page.minId)}` : undefined,
    ].filter(Boolean);
    const rows = db
      .select({ conversationId: statuses.conversationId, lastId: sql<string>`${last}` })
      .from(statuses)
      .where(and(eq(statuses.visibility, "direct"), visibleTo(viewerId), conversationId ? eq(statuses.conversationId, conversationId) : undefined))
      .groupBy(statuses.conversationId)
      .having(having.length ? and(...having) : undefined)
      .orderBy(page.minId ? sql`2 ASC` : sql`2 DESC`)
      .limit(page.limit)
      .all()
      .map((r) => ({ conversationId: r.conversationId!, lastId: fromStoredId(r.lastId) }));
    return page.minId ? rows.reverse() : rows;
  };

  const render = (viewerId: string, rows: { conversationId: string; lastId: string }[], includeHidden = false) => {
    const ids = rows.map((r) => r.conversationId);
    const states = new Map(ids.length ? db.select().from(conversationStates).where(and(eq(conversationStates.accountId, viewerId), inArray(conversationStates.conversationId, ids))).all().map((s) => [s.conversationId, s]) : []);
    const visible = rows.filter((r) => {
      const hidden = states.get(r.conversationId)?.hiddenBeforeStatusId;
      return includeHidden || !hidden || compareIds(r.lastId, hidden) > 0;
    });
    const lastRows = new Map(findVisibleStatuses(ctx.storage, visible.map((r) => r.lastId), viewerId).map((s) => [s.id, s]));
    const rendered = new Map(renderStatuses(ctx, [...lastRows.values()], viewerId).map((s) => [s.id as string, s]));
    // Participants: authors and mentioned accounts of the conversation's direct statuses, except the viewer.
    const participants = new Map<string, Set<string>>();
    if (visible.length) {
      const parts = db
        .select({ conversationId: statuses.conversationId, author: statuses.accountId, mentioned: mentions.accountId })
        .from(statuses)
        .leftJoin(mentions, eq(mentions.statusId, statuses.id))
        .where(and(eq(statuses.visibility, "direct"), inArray(statuses.conversationId, visible.map((r) => r.conversationId))))
        .all();
      for (const p of parts) {
        const set = participants.get(p.conversationId!) ?? new Set<string>();
        for (const a of [p.author, p.mentioned]) if (a && a !== viewerId) set.add(a);
        participants.set(p.conversationId!, set);
      }
    }
    const accounts = findAccounts(ctx.storage, [...participants.values()].flatMap((s) => [...s]));
    return visible.flatMap((r) => {
      const status = lastRows.get(r.lastId);
      if (!status) return [];
      const read = states.get(r.conversationId)?.lastReadStatusId;
      return [
        {
          id: r.conversationId,
          unread: status.accountId !== viewerId && (!read || compareIds(read, r.lastId) < 0),
          accounts: [...(participants.get(r.conversationId) ?? [])].flatMap((a) => (accounts.has(a) ? [renderAccount(ctx.config, accounts.get(a)!)] : [])),
          last_status: rendered.get(r.lastId) ?? null,
        },
      ];
    });
  };

  const one = (viewerId: string, id: string) => {
    const rows = /^\d{1,19}$/.test(id) ? latest(viewerId, { limit: 1 }, id) : [];
    if (!rows.length) throw new NotFoundError();
    return rows[0]!;
  };

  const setState = (viewerId: string, conversationId: string, set: { lastReadStatusId?: string; hiddenBeforeStatusId?: string }) =>
    db.insert(conversationStates).values({ accountId: viewerId, conversationId, ...set }).onConflictDoUpdate({ target: [conversationStates.accountId, conversationStates.conversationId], set }).run();

  return new Elysia()
    .get(
      "/api/v1/conversations",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:statuses"]);
        const page = readPage(query, 20, 40);
        const rows = latest(viewer.accountId, page);
        return pagedResponse(ctx.config.publicUrl, request, render(viewer.accountId, rows), rows.map((r) => r.lastId));
      },
      { query: t.Object(pageQuery) },
    )
    .delete("/api/v1/conversations/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:conversations"]);
      const row = one(viewer.accountId, params.id);
      setState(viewer.accountId, row.conversationId, { hiddenBeforeStatusId: row.lastId });
      return {};
    })
    .post("/api/v1/conversations/:id/read", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:conversations"]);
      const row = one(viewer.accountId, params.id);
      setState(viewer.accountId, row.conversationId, { lastReadStatusId: row.lastId });
      return render(viewer.accountId, [row], true)[0];
    });
}
