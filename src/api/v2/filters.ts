// methods/filters.md (v2): filters with their keywords and statuses.
import { Elysia, t } from "elysia";
import { asc, eq } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { filterKeywords, filters, filterStatuses } from "../../db/schema.ts";
import { addFilterKeyword, addFilterStatus, getFilter, getFilterKeyword, getFilterStatus, saveFilter, type FilterInput, type FilterRow } from "../../domain/filters.ts";
import { ValidationError } from "../../domain/errors.ts";
import { requireUser } from "../auth.ts";
import { renderFilter, renderFilterKeyword, renderFilterStatus } from "../entities/filter.ts";
import { flag, integer, list } from "../params.ts";

const keywordAttributes = t.Object({ id: t.Optional(t.String()), keyword: t.Optional(t.String()), whole_word: t.Optional(flag()), _destroy: t.Optional(flag()) });
const filterBody = t.Object({
  title: t.Optional(t.String()),
  context: t.Optional(list(t.String())),
  filter_action: t.Optional(t.String()),
  expires_in: t.Optional(t.Union([integer({ minimum: 0 }), t.Literal(""), t.Null()])),
  keywords_attributes: t.Optional(t.Union([t.Array(keywordAttributes), t.Record(t.String(), keywordAttributes)])),
});

type FilterBody = typeof filterBody.static;

function toInput(body: FilterBody): FilterInput {
  const attrs = body.keywords_attributes === undefined ? undefined : Array.isArray(body.keywords_attributes) ? body.keywords_attributes : Object.values(body.keywords_attributes);
  return {
    title: body.title,
    context: body.context,
    filterAction: body.filter_action,
    // An empty expires_in clears the expiry.
    expiresIn: body.expires_in === undefined ? undefined : body.expires_in === "" || body.expires_in === null ? null : body.expires_in,
    keywords: attrs?.map((k) => ({ id: k.id, keyword: k.keyword, wholeWord: k.whole_word, destroy: k._destroy })),
  };
}

export function filtersRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const READ = ["read:filters"];
  const WRITE = ["write:filters"];
  const render = (row: FilterRow) =>
    renderFilter({
      filter: row,
      keywords: db.select().from(filterKeywords).where(eq(filterKeywords.filterId, row.id)).orderBy(asc(filterKeywords.id)).all(),
      statuses: db.select().from(filterStatuses).where(eq(filterStatuses.filterId, row.id)).orderBy(asc(filterStatuses.id)).all(),
      matchers: [],
    });

  return new Elysia()
    .get("/api/v2/filters", ({ request }) => {
      const viewer = requireUser(ctx, request, READ);
      return db.select().from(filters).where(eq(filters.accountId, viewer.accountId)).orderBy(asc(filters.id)).all().map(render);
    })
    .post("/api/v2/filters", ({ request, body }) => render(saveFilter(ctx, requireUser(ctx, request, WRITE).accountId, toInput(body))), { body: filterBody })
    .get("/api/v2/filters/keywords/:id", ({ request, params }) => renderFilterKeyword(getFilterKeyword(ctx, requireUser(ctx, request, READ).accountId, params.id)))
    .put(
      "/api/v2/filters/keywords/:id",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, WRITE);
        const keyword = getFilterKeyword(ctx, viewer.accountId, params.id);
        saveFilter(ctx, viewer.accountId, { keywords: [{ id: keyword.id, keyword: body.keyword, wholeWord: body.whole_word }] }, keyword.filterId);
        return renderFilterKeyword(getFilterKeyword(ctx, viewer.accountId, params.id));
      },
      { body: t.Object({ keyword: t.Optional(t.String()), whole_word: t.Optional(flag()) }) },
    )
    .delete("/api/v2/filters/keywords/:id", ({ request, params }) => {
      db.delete(filterKeywords).where(eq(filterKeywords.id, getFilterKeyword(ctx, requireUser(ctx, request, WRITE).accountId, params.id).id)).run();
      return {};
    })
    .get("/api/v2/filters/statuses/:id", ({ request, params }) => renderFilterStatus(getFilterStatus(ctx, requireUser(ctx, request, READ).accountId, params.id)))
    .delete("/api/v2/filters/statuses/:id", ({ request, params }) => {
      db.delete(filterStatuses).where(eq(filterStatuses.id, getFilterStatus(ctx, requireUser(ctx, request, WRITE).accountId, params.id).id)).run();
      return {};
    })
    .get("/api/v2/filters/:id", ({ request, params }) => render(getFilter(ctx, requireUser(ctx, request, READ).accountId, params.id)))
    .put("/api/v2/filters/:id", ({ request, params, body }) => render(saveFilter(ctx, requireUser(ctx, request, WRITE).accountId, toInput(body), params.id)), { body: filterBody })
    .delete("/api/v2/filters/:id", ({ request, params }) => {
      db.delete(filters).where(eq(filters.id, getFilter(ctx, requireUser(ctx, request, WRITE).accountId, params.id).id)).run();
      return {};
    })
    .get("/api/v2/filters/:id/keywords", ({ request, params }) => {
      getFilter(ctx, requireUser(ctx, request, READ).accountId, params.id);
      return db.select().from(filterKeywords).where(eq(filterKeywords.filterId, params.id)).orderBy(asc(filterKeywords.id)).all().map(renderFilterKeyword);
    })
    .post(
      "/api/v2/filters/:id/keywords",
      ({ request, params, body }) => renderFilterKeyword(addFilterKeyword(ctx, requireUser(ctx, request, WRITE).accountId, params.id, body.keyword, body.whole_word ?? true)),
      { body: t.Object({ keyword: t.Optional(t.String()), whole_word: t.Optional(flag()) }) },
    )
    .get("/api/v2/filters/:id/statuses", ({ request, params }) => {
      getFilter(ctx, requireUser(ctx, request, READ).accountId, params.id);
      return db.select().from(filterStatuses).where(eq(filterStatuses.filterId, params.id)).orderBy(asc(filterStatuses.id)).all().map(renderFilterStatus);
    })
    .post(
      "/api/v2/filters/:id/statuses",
      ({ request, params, body }) => {
        if (!body.status_id) throw new ValidationError("Validation failed: Status can't be blank");
        return renderFilterStatus(addFilterStatus(ctx, requireUser(ctx, request, WRITE).accountId, params.id, body.status_id));
      },
      { body: t.Object({ status_id: t.Optional(t.String()) }) },
    );
}
