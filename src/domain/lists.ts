// The owner's lists of followed accounts.
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "../context.ts";
import { newId } from "../db/ids.ts";
import { follows, listAccounts, lists } from "../db/schema.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import { getAccount } from "./accounts/queries.ts";

export type ListRow = typeof lists.$inferSelect;
const POLICIES = ["followed", "list", "none"] as const;

function checkFields(input: { title?: string; repliesPolicy?: string }, creating: boolean): void {
  if (creating || input.title !== undefined) {
    if (!input.title?.trim()) throw new ValidationError("Validation failed: Title can't be blank");
    if ([...input.title].length > 255) throw new ValidationError("Validation failed: Title is too long (maximum is 255 characters)");
  }
  if (input.repliesPolicy !== undefined && !(POLICIES as readonly string[]).includes(input.repliesPolicy)) {
    throw new ValidationError("Validation failed: Replies policy is not included in the list");
  }
}

export function getList(ctx: Context, ownerId: string, id: string): ListRow {
  const row = ctx.storage.db.select().from(lists).where(and(eq(lists.id, id), eq(lists.accountId, ownerId))).get();
  if (!row) throw new NotFoundError();
  return row;
}

export function createList(ctx: Context, ownerId: string, input: { title?: string; repliesPolicy?: string; exclusive?: boolean }): ListRow {
  checkFields(input, true);
  return ctx.storage.db
    .insert(lists)
    .values({ id: newId(), accountId: ownerId, title: input.title!.trim(), repliesPolicy: (input.repliesPolicy ?? "list") as ListRow["repliesPolicy"], exclusive: input.exclusive ?? false, createdAt: Date.now() })
    .returning()
    .get();
}

export function updateList(ctx: Context, ownerId: string, id: string, input: { title?: string; repliesPolicy?: string; exclusive?: boolean }): ListRow {
  getList(ctx, ownerId, id);
  checkFields(input, false);
  const set: Partial<ListRow> = {};
  if (input.title !== undefined) set.title = input.title.trim();
  if (input.repliesPolicy !== undefined) set.repliesPolicy = input.repliesPolicy as ListRow["repliesPolicy"];
  if (input.exclusive !== undefined) set.exclusive = input.exclusive;
  if (!Object.keys(set).length) return getList(ctx, ownerId, id);
  return ctx.storage.db.update(lists).set(set).where(eq(lists.id, id)).returning().get();
}

export function deleteList(ctx: Context, ownerId: string, id: string): void {
  getList(ctx, ownerId, id);
  ctx.storage.db.delete(lists).where(eq(lists.id, id)).run();
}

/** Only followed accounts can be in a list, as in Mastodon. */
export function addListAccounts(ctx: Context, ownerId: string, id: string, accountIds: string[]): void {
  getList(ctx, ownerId, id);
  for (const accountId of accountIds) getAccount(ctx.storage, accountId);
  const followed = new Set(
    accountIds.length
      ? ctx.storage.db.select({ id: follows.targetAccountId }).from(follows).where(and(eq(follows.accountId, ownerId), inArray(follows.targetAccountId, accountIds))).all().map((f) => f.id)
      : [],
  );
  if (accountIds.some((a) => !followed.has(a))) throw new ValidationError("Validation failed: Account has to be followed");
  for (const accountId of accountIds) ctx.storage.db.insert(listAccounts).values({ id: newId(), listId: id, accountId }).onConflictDoNothing().run();
}

export function removeListAccounts(ctx: Context, ownerId: string, id: string, accountIds: string[]): void {
  getList(ctx, ownerId, id);
  if (accountIds.length) ctx.storage.db.delete(listAccounts).where(and(eq(listAccounts.listId, id), inArray(listAccounts.accountId, accountIds))).run();
}

export function renderList(row: ListRow) {
  return { id: row.id, title: row.title, replies_policy: row.repliesPolicy, exclusive: row.exclusive };
}
