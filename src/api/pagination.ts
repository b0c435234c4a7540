// Mastodon pagination (api/guidelines.md#pagination): max_id, since_id, min_id, limit, and a Link
// header whose next/prev URLs carry max_id/min_id. Lists page by their own row ids (a follow's id,
// a favourite's id), which is what the Link header exposes, as Mastodon does.
import { t } from "elysia";
import { asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { isId } from "../db/ids.ts";
import { integer } from "./params.ts";

export interface Page {
  maxId?: string;
  sinceId?: string;
  minId?: string;
  limit: number;
}

export const pageQuery = {
  max_id: t.Optional(t.String({ maxLength: 40 })),
  since_id: t.Optional(t.String({ maxLength: 40 })),
  min_id: t.Optional(t.String({ maxLength: 40 })),
  limit: t.Optional(integer({ minimum: 0 })),
};

export function readPage(query: { max_id?: string; since_id?: string; min_id?: string; limit?: number }, defaultLimit = 20, maxLimit = 40): Page {
  // Ids that are not ids match nothing sensible; Mastodon ignores them too.
  const id = (v?: string) => (v && isId(v) ? v : undefined);
  const limit = query.limit === undefined || query.limit <= 0 ? defaultLimit : Math.min(query.limit, maxLimit);
  return { maxId: id(query.max_id), sinceId: id(query.since_id), minId: id(query.min_id), limit };
}

/** WHERE conditions for a page over `column` (a snowflake id column). */
export function pageConditions(column: SQLiteColumn, page: Page): SQL[] {
  const conditions: SQL[] = [];
  if (page.maxId) conditions.push(lt(column, page.maxId));
  if (page.sinceId) conditions.push(gt(column, page.sinceId));
  if (page.minId) conditions.push(gt(column, page.minId));
  return conditions;
}

/** min_id pages walk upwards from min_id; everything else newest first. */
export function pageOrder(column: SQLiteColumn, page: Page): SQL {
  return page.minId ? asc(column) : desc(column);
}

/** Rows in the order the API returns them: newest first. */
export function pageRows<T>(rows: T[], page: Page): T[] {
  return page.minId ? rows.reverse() : rows;
}

/** The Link header for a page of results, or undefined when the page is empty. */
export function linkHeader(publicUrl: URL, request: Request, firstId: string | undefined, lastId: string | undefined): string | undefined {
  if (!firstId || !lastId) return undefined;
  const url = new URL(request.url);
  const make = (set: string, value: string) => {
    const params = new URLSearchParams(url.search);
    for (const k of ["max_id", "since_id", "min_id"]) params.delete(k);
    params.set(set, value);
    return `<${publicUrl.origin}${url.pathname}?${params}>`;
  };
  return `${make("max_id", lastId)}; rel="next", ${make("min_id", firstId)}; rel="prev"`;
}

/** A JSON response with the Link header for a page whose items' paging ids are `ids`. */
export function pagedResponse(publicUrl: URL, request: Request, body: unknown, ids: string[]): Response {
  const headers: Record<string, string> = {};
  const link = linkHeader(publicUrl, request, ids[0], ids[ids.length - 1]);
  if (link) headers.link = link;
  return Response.json(body, { headers });
}
