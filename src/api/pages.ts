// The two page shapes most list endpoints share: accounts reached through a relation table, paged by
// that table's own ids; and statuses matching conditions, rendered for the viewer. Both answer with
// Mastodon's Link header.
import { and, type SQL } from "drizzle-orm";
import type { Context } from "../context.ts";
import { blocks, favourites, followRequests, follows, listAccounts, mutes, statuses } from "../db/schema.ts";
import { findAccounts } from "../domain/accounts/queries.ts";
import type { FilterContext } from "../domain/filters.ts";
import { renderAccount } from "./entities/account.ts";
import { renderStatuses } from "./entities/status.ts";
import { pageConditions, pageOrder, pagedResponse, pageRows, readPage, type Page } from "./pagination.ts";

type RelationTable = typeof follows | typeof followRequests | typeof mutes | typeof blocks | typeof listAccounts | typeof favourites | typeof statuses;

export interface AccountPageOptions {
  /** Which column of the table holds the account to list. */
  accountColumn: "accountId" | "targetAccountId";
  /** Extra attributes per row (MutedAccount's mute_expires_at). */
  extra?: (row: any) => Record<string, unknown>;
  /** A page other than the query's (lists' limit=0 means every member). */
  page?: Page;
}

export function accountPage(ctx: Context, request: Request, query: Parameters<typeof readPage>[0], table: RelationTable, where: SQL, options: AccountPageOptions): Response {
  const page = options.page ?? readPage(query, 40, 80);
  const rows = pageRows(
    ctx.storage.db.select().from(table).where(and(where, ...pageConditions(table.id, page))).orderBy(pageOrder(table.id, page)).limit(page.limit).all() as Record<string, any>[],
    page,
  );
  const byId = findAccounts(ctx.storage, rows.map((r) => r[options.accountColumn] as string));
  const body = rows.flatMap((r) => {
    const account = byId.get(r[options.accountColumn]);
    return account ? [{ ...renderAccount(ctx.config, account), ...options.extra?.(r) }] : [];
  });
  return pagedResponse(ctx.config.publicUrl, request, body, rows.map((r) => r.id as string));
}

export function statusPage(ctx: Context, request: Request, query: Parameters<typeof readPage>[0], conditions: SQL[], viewerId: string | null, filterContext: FilterContext): Response {
  const page = readPage(query, 20, 40);
  const rows = pageRows(
    ctx.storage.db.select().from(statuses).where(and(...conditions, ...pageConditions(statuses.id, page))).orderBy(pageOrder(statuses.id, page)).limit(page.limit).all(),
    page,
  );
  return pagedResponse(ctx.config.publicUrl, request, renderStatuses(ctx, rows, viewerId, { filterContext }), rows.map((r) => r.id));
}
