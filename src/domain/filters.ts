// Filters v2: keyword and status filters per context, with warn, blur or hide actions.
import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import type { Context } from "../context.ts";
import type { Storage } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { filterKeywords, filters, filterStatuses } from "../db/schema.ts";
import { htmlToText } from "../text/format.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { getVisibleStatus } from "./statuses/queries.ts";

export const FILTER_CONTEXTS = ["home", "notifications", "public", "thread", "account"] as const;
export type FilterContext = (typeof FILTER_CONTEXTS)[number];
const ACTIONS = ["warn", "hide", "blur"] as const;

export type FilterRow = typeof filters.$inferSelect;
export type KeywordRow = typeof filterKeywords.$inferSelect;
export type FilterStatusRow = typeof filterStatuses.$inferSelect;

export interface FilterInput {
  title?: string;
  context?: string[];
  filterAction?: string;
  expiresIn?: number | null;
  keywords?: { id?: string; keyword?: string; wholeWord?: boolean; destroy?: boolean }[];
}

export function getFilter(ctx: Context, ownerId: string, id: string): FilterRow {
  const row = ctx.storage.db.select().from(filters).where(and(eq(filters.id, id), eq(filters.accountId, ownerId))).get();
  if (!row) throw new NotFoundError();
  return row;
}

function checkKeyword(keyword: string | undefined): string {
  if (!keyword?.trim()) throw new ValidationError("Validation failed: Keyword can't be blank");
  if ([...keyword].length > 200) throw new ValidationError("Validation failed: Keyword is too long (maximum is 200 characters)");
  return keyword.trim();
}

export function saveFilter(ctx: Context, ownerId: string, input: FilterInput, id?: string): FilterRow {
  const existing = id ? getFilter(ctx, ownerId, id) : undefined;
  const title = input.title ?? existing?.title;
  if (!title?.trim()) throw new ValidationError("Validation failed: Title can't be blank");
  const context = input.context ?? (existing ? (JSON.parse(existing.context) as string[]) : undefined);
  if (!context?.length) throw new ValidationError("Validation failed: Context can't be blank");
  if (context.some((c) => !(FILTER_CONTEXTS as readonly string[]).includes(c))) throw new ValidationError("Validation failed: Context contains invalid context values");
  const action = input.filterAction ?? existing?.filterAction ?? "warn";
  if (!(ACTIONS as readonly string[]).includes(action)) throw new ValidationError("Validation failed: Filter action is not included in the list");
  if (input.expiresIn !== undefined && input.expiresIn !== null && input.expiresIn <= 0) throw new ValidationError("Validation failed: Expires in must be positive");
  const expiresAt = input.expiresIn === undefined ? (existing?.expiresAt ?? null) : input.expiresIn === null ? null : Date.now() + input.expiresIn * 1000;
  const values = { title: title.trim(), context: JSON.stringify([...new Set(context)]), filterAction: action as FilterRow["filterAction"], expiresAt };
  return ctx.storage.db.transaction((tx) => {
    const row = existing
      ? tx.update(filters).set(values).where(eq(filters.id, existing.id)).returning().get()
      : tx.insert(filters).values({ id: newId(), accountId: ownerId, createdAt: Date.now(), ...values }).returning().get();
    for (const k of input.keywords ?? []) {
      if (k.id) {
        const where = and(eq(filterKeywords.id, k.id), eq(filterKeywords.filterId, row.id));
        if (k.destroy) tx.delete(filterKeywords).where(where).run();
        else {
          const set: Partial<KeywordRow> = {};
          if (k.keyword !== undefined) set.keyword = checkKeyword(k.keyword);
          if (k.wholeWord !== undefined) set.wholeWord = k.wholeWord;
          if (Object.keys(set).length) tx.update(filterKeywords).set(set).where(where).run();
        }
      } else if (!k.destroy) {
        tx.insert(filterKeywords).values({ id: newId(), filterId: row.id, keyword: checkKeyword(k.keyword), wholeWord: k.wholeWord ?? true }).run();
      }
    }
    return row;
  });
}

export function addFilterKeyword(ctx: Context, ownerId: string, filterId: string, keyword: string | undefined, wholeWord = true): KeywordRow {
  getFilter(ctx, ownerId, filterId);
  return ctx.storage.db.insert(filterKeywords).values({ id: newId(), filterId, keyword: checkKeyword(keyword), wholeWord }).returning().get();
}

export function getFilterKeyword(ctx: Context, ownerId: string, id: string): KeywordRow {
  const row = ctx.storage.db.select().from(filterKeywords).where(eq(filterKeywords.id, id)).get();
  if (!row) throw new NotFoundError();
  getFilter(ctx, ownerId, row.filterId);
  return row;
}

export function addFilterStatus(ctx: Context, ownerId: string, filterId: string, statusId: string): FilterStatusRow {
  getFilter(ctx, ownerId, filterId);
  const status = getVisibleStatus(ctx.storage, statusId, ownerId);
  const existing = ctx.storage.db.select().from(filterStatuses).where(and(eq(filterStatuses.filterId, filterId), eq(filterStatuses.statusId, status.id))).get();
  if (existing) throw new ValidationError("Validation failed: Status has already been taken");
  return ctx.storage.db.insert(filterStatuses).values({ id: newId(), filterId, statusId: status.id }).returning().get();
}

export function getFilterStatus(ctx: Context, ownerId: string, id: string): FilterStatusRow {
  const row = ctx.storage.db.select().from(filterStatuses).where(eq(filterStatuses.id, id)).get();
  if (!row) throw new NotFoundError();
  getFilter(ctx, ownerId, row.filterId);
  return row;
}

export interface LoadedFilter {
  filter: FilterRow;
  keywords: KeywordRow[];
  statuses: FilterStatusRow[];
  matchers: { keyword: string; test: RegExp }[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The viewer's unexpired filters (optionally for one context), with compiled keyword matchers. */
export function loadFilters(storage: Storage, accountId: string, context?: FilterContext): LoadedFilter[] {
  const rows = storage.db.select().from(filters).where(and(eq(filters.accountId, accountId), or(isNull(filters.expiresAt), gt(filters.expiresAt, Date.now())))).all()
    .filter((f) => !context || (JSON.parse(f.context) as string[]).includes(context));
  if (!rows.length) return [];
  const ids = rows.map((f) => f.id);
  const keywords = storage.db.select().from(filterKeywords).where(inArray(filterKeywords.filterId, ids)).all();
  const statuses = storage.db.select().from(filterStatuses).where(inArray(filterStatuses.filterId, ids)).all();
  return rows.map((filter) => {
    const own = keywords.filter((k) => k.filterId === filter.id);
    return {
      filter,
      keywords: own,
      statuses: statuses.filter((s) => s.filterId === filter.id),
      matchers: own.map((k) => ({
        keyword: k.keyword,
        test: new RegExp(k.wholeWord ? `(?<![\\p{L}\\p{N}_])${escapeRegExp(k.keyword)}(?![\\p{L}\\p{N}_])` : escapeRegExp(k.keyword), "iu"),
      })),
    };
  });
}

export interface FilterMatch {
  filter: LoadedFilter;
  keywordMatches: string[] | null;
  statusMatches: string[] | null;
}

/** Which filters a status matches, given its searchable text. */
export function matchFilters(loaded: LoadedFilter[], statusId: string, searchable: { content: string; spoilerText: string; extra: string[] }): FilterMatch[] {
  if (!loaded.length) return [];
  const text = [htmlToText(searchable.content), searchable.spoilerText, ...searchable.extra].join("\n");
  const out: FilterMatch[] = [];
  for (const f of loaded) {
    const keywords = f.matchers.filter((m) => m.test.test(text)).map((m) => m.keyword);
    const statuses = f.statuses.filter((s) => s.statusId === statusId).map((s) => s.id);
    if (keywords.length || statuses.length) out.push({ filter: f, keywordMatches: keywords.length ? keywords : null, statusMatches: statuses.length ? statuses : null });
  }
  return out;
}
