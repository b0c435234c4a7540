// methods/lists.md
import { Elysia, t } from "elysia";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { listAccounts, lists } from "../../db/schema.ts";
import { getAccount } from "../../domain/accounts/queries.ts";
import { addListAccounts, createList, deleteList, getList, removeListAccounts, renderList, updateList } from "../../domain/lists.ts";
import { requireUser } from "../auth.ts";
import { accountPage } from "../pages.ts";
import { pageQuery } from "../pagination.ts";
import { flag, list } from "../params.ts";

const listBody = t.Object({ title: t.Optional(t.String()), replies_policy: t.Optional(t.String()), exclusive: t.Optional(flag()) });
const accountIdsBody = t.Object({ account_ids: t.Optional(list(t.String())) });

export function listsRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const READ = ["read:lists"];
  const WRITE = ["write:lists"];
  return new Elysia()
    .get("/api/v1/lists", ({ request }) => {
      const viewer = requireUser(ctx, request, READ);
      return db.select().from(lists).where(eq(lists.accountId, viewer.accountId)).orderBy(asc(lists.title)).all().map(renderList);
    })
    .post("/api/v1/lists", ({ request, body }) => {
      const viewer = requireUser(ctx, request, WRITE);
      return renderList(createList(ctx, viewer.accountId, { title: body.title, repliesPolicy: body.replies_policy, exclusive: body.exclusive }));
    }, { body: listBody })
    .get("/api/v1/lists/:id", ({ request, params }) => renderList(getList(ctx, requireUser(ctx, request, READ).accountId, params.id)))
    .put("/api/v1/lists/:id", ({ request, params, body }) => {
      const viewer = requireUser(ctx, request, WRITE);
      return renderList(updateList(ctx, viewer.accountId, params.id, { title: body.title, repliesPolicy: body.replies_policy, exclusive: body.exclusive }));
    }, { body: listBody })
    .delete("/api/v1/lists/:id", ({ request, params }) => {
      deleteList(ctx, requireUser(ctx, request, WRITE).accountId, params.id);
      return {};
    })
    .get(
      "/api/v1/lists/:id/accounts",
      ({ request, params, query }) => {
        const viewer = requireUser(ctx, request, READ);
        getList(ctx, viewer.accountId, params.id);
        // limit=0 means all members, as in Mastodon.
        const page = query.limit === 0 ? { limit: 10_000 } : undefined;
        return accountPage(ctx, request, query, listAccounts, eq(listAccounts.listId, params.id), { accountColumn: "accountId", page });
      },
      { query: t.Object(pageQuery) },
    )
    .post("/api/v1/lists/:id/accounts", ({ request, params, body }) => {
      addListAccounts(ctx, requireUser(ctx, request, WRITE).accountId, params.id, body.account_ids ?? []);
      return {};
    }, { body: accountIdsBody })
    .delete("/api/v1/lists/:id/accounts", ({ request, params, body, query }) => {
      const ids = body?.account_ids ?? (query as { account_ids?: string[] }).account_ids ?? [];
      removeListAccounts(ctx, requireUser(ctx, request, WRITE).accountId, params.id, ids);
      return {};
    }, { body: t.Optional(accountIdsBody), query: t.Object({ account_ids: t.Optional(list(t.String())) }) })
    .get("/api/v1/accounts/:id/lists", ({ request, params }) => {
      const viewer = requireUser(ctx, request, READ);
      getAccount(ctx.storage, params.id);
      const memberOf = db.select({ id: listAccounts.listId }).from(listAccounts).where(eq(listAccounts.accountId, params.id));
      return db.select().from(lists).where(and(eq(lists.accountId, viewer.accountId), inArray(lists.id, memberOf))).orderBy(asc(lists.title)).all().map(renderList);
    });
}
