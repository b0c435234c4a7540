// methods/search.md (v2) and accounts/search: local accounts, hashtags and statuses. Resolving
// unknown remote handles and URLs arrives with federation.
import { Elysia, t } from "elysia";
import { and, desc, eq, isNull, like, or, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { accounts, follows, statuses, tags } from "../../db/schema.ts";
import { toStoredId } from "../../db/ids.ts";
import { findAccountByAcct, type AccountRow } from "../../domain/accounts/queries.ts";
import { localDomains } from "../../domain/accounts/mentions.ts";
import { visibleTo } from "../../domain/statuses/queries.ts";
import { publicOrScoped } from "../auth.ts";
import { renderAccount } from "../entities/account.ts";
import { renderStatuses } from "../entities/status.ts";
import { flag, integer } from "../params.ts";
import { renderTags } from "../v1/tags.ts";

/** LIKE patterns match literally: % and _ in the query are not wildcards. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function searchRoutes(ctx: Context) {
  const { db } = ctx.storage;

  const searchAccounts = (q: string, viewerId: string | null, limit: number, offset: number, following: boolean): AccountRow[] => {
    const term = q.trim().replace(/^@/, "");
    if (!term) return [];
    const exact = term.includes("@") ? findAccountByAcct(ctx.storage, term, localDomains(ctx)) : undefined;
    const local = term.split("@")[0]!;
    const pattern = `${escapeLike(local.toLowerCase())}%`;
    const conditions = [
      isNull(accounts.suspendedAt),
      or(sql`lower(${accounts.username}) LIKE ${pattern} ESCAPE '\\'`, sql`lower(${accounts.displayName}) LIKE ${"%" + escapeLike(term.toLowerCase()) + "%"} ESCAPE '\\'`)!,
    ];
    if (following && viewerId) conditions.push(sql`${accounts.id} IN (SELECT ${follows.targetAccountId} FROM ${follows} WHERE ${follows.accountId} = ${toStoredId(viewerId)})`);
    const found = db.select().from(accounts).where(and(...conditions)).orderBy(sql`${accounts.domain} IS NOT NULL`, accounts.username).limit(limit + offset + 1).all();
    const merged = exact && (!following || found.some((a) => a.id === exact.id)) ? [exact, ...found.filter((a) => a.id !== exact.id)] : found;
    return merged.slice(offset, offset + limit);
  };

  const search = (request: Request, query: { q: string; type?: string; limit?: number; offset?: number; following?: boolean; account_id?: string; resolve?: boolean }) => {
    const viewer = publicOrScoped(ctx, request, ["read:search"]);
    const viewerId = viewer?.accountId ?? null;
    const limit = Math.min(Math.max(query.limit ?? 20, 1), 40);
    const offset = query.offset ?? 0;
    const wants = (type: string) => !query.type || query.type === type;
    const q = query.q.trim();

    const foundAccounts = wants("accounts") ? searchAccounts(q, viewerId, limit, offset, query.following ?? false) : [];
    const tagTerm = q.replace(/^#/, "").toLowerCase();
    const foundTags = wants("hashtags") && /^[\p{L}\p{N}_]+$/u.test(tagTerm)
      ? db.select().from(tags).where(like(tags.name, `${escapeLike(tagTerm)}%`)).orderBy(sql`length(${tags.name})`, tags.name).limit(limit).offset(offset).all()
      : [];
    // Statuses only for a signed-in viewer, as in Mastodon.
    let foundStatuses: (typeof statuses.$inferSelect)[] = [];
    if (wants("statuses") && viewerId && q) {
      const byUrl = /^https?:\/\//.test(q) ? db.select().from(statuses).where(and(or(eq(statuses.uri, q), eq(statuses.url, q)), visibleTo(viewerId))).all() : [];
      const needle = `%${escapeLike(q.toLowerCase())}%`;
      const conditions = [
        isNull(statuses.reblogOfId),
        visibleTo(viewerId),
        or(sql`lower(${statuses.text}) LIKE ${needle} ESCAPE '\\'`, sql`lower(${statuses.content}) LIKE ${needle} ESCAPE '\\'`, sql`lower(${statuses.spoilerText}) LIKE ${needle} ESCAPE '\\'`)!,
      ];
      if (query.account_id && /^\d+$/.test(query.account_id)) conditions.push(eq(statuses.accountId, query.account_id));
      foundStatuses = byUrl.length ? byUrl : db.select().from(statuses).where(and(...conditions)).orderBy(desc(statuses.id)).limit(limit).offset(offset).all();
    }
    return {
      accounts: foundAccounts.map((a) => renderAccount(ctx.config, a)),
      statuses: renderStatuses(ctx, foundStatuses, viewerId),
      hashtags: renderTags(ctx, foundTags, viewerId),
    };
  };

  const searchQuery = {
    q: t.String({ maxLength: 500 }),
    type: t.Optional(t.Union([t.Literal("accounts"), t.Literal("hashtags"), t.Literal("statuses")])),
    resolve: t.Optional(flag()),
    following: t.Optional(flag()),
    account_id: t.Optional(t.String()),
    exclude_unreviewed: t.Optional(flag()),
    max_id: t.Optional(t.String()),
    min_id: t.Optional(t.String()),
    limit: t.Optional(integer({ minimum: 0 })),
    offset: t.Optional(integer({ minimum: 0 })),
  };

  return new Elysia()
    .get("/api/v2/search", ({ request, query }) => search(request, query), { query: t.Object(searchQuery) })
    .get(
      "/api/v1/accounts/search",
      ({ request, query }) => {
        const viewer = publicOrScoped(ctx, request, ["read:accounts"]);
        return searchAccounts(query.q, viewer?.accountId ?? null, Math.min(query.limit ?? 40, 80), query.offset ?? 0, query.following ?? false).map((a) => renderAccount(ctx.config, a));
      },
      { query: t.Object({ q: t.String({ maxLength: 500 }), limit: t.Optional(integer({ minimum: 1 })), offset: t.Optional(integer({ minimum: 0 })), resolve: t.Optional(flag()), following: t.Optional(flag()) }) },
    );
}
