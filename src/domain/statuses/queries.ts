// Reading statuses with Mastodon's visibility rules for a viewer (the owner, or nobody).
import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Storage } from "../../db/client.ts";
import { isId, toStoredId } from "../../db/ids.ts";
import { blocks, follows, mentions, statuses } from "../../db/schema.ts";
import { NotFoundError } from "../errors.ts";

export type StatusRow = typeof statuses.$inferSelect;

/**
 * SQL that is true when the viewer may see a status: public and unlisted for everyone; private for the
 * author and their followers; direct for the author and those mentioned; never from someone blocking the viewer.
 */
export function visibleTo(viewerId: string | null): SQL {
  if (!viewerId) return sql`${statuses.visibility} IN ('public', 'unlisted')`;
  // Raw SQL binds values as given: ids must be in their stored (padded) form.
  return visibleToViewer(sql`${toStoredId(viewerId)}`);
}

/** visibleTo with the viewer as SQL: a stored-form id, or a placeholder in a prepared query. */
export function visibleToViewer(viewer: SQL): SQL {
  return and(
    or(
      sql`${statuses.visibility} IN ('public', 'unlisted')`,
      sql`${statuses.accountId} = ${viewer}`,
      and(eq(statuses.visibility, "private"), sql`EXISTS (SELECT 1 FROM ${follows} WHERE ${follows.accountId} = ${viewer} AND ${follows.targetAccountId} = ${statuses.accountId})`),
      and(eq(statuses.visibility, "direct"), sql`EXISTS (SELECT 1 FROM ${mentions} WHERE ${mentions.statusId} = ${statuses.id} AND ${mentions.accountId} = ${viewer})`),
    ),
    sql`NOT EXISTS (SELECT 1 FROM ${blocks} WHERE ${blocks.accountId} = ${statuses.accountId} AND ${blocks.targetAccountId} = ${viewer})`,
  )!;
}

export function findVisibleStatus(storage: Storage, id: string, viewerId: string | null): StatusRow | undefined {
  if (!isId(id)) return undefined;
  return storage.db.select().from(statuses).where(and(eq(statuses.id, id), visibleTo(viewerId))).get();
}

export function getVisibleStatus(storage: Storage, id: string, viewerId: string | null): StatusRow {
  const status = findVisibleStatus(storage, id, viewerId);
  if (!status) throw new NotFoundError();
  return status;
}

export function findVisibleStatuses(storage: Storage, ids: string[], viewerId: string | null): StatusRow[] {
  const valid = [...new Set(ids.filter(isId))];
  if (!valid.length) return [];
  return storage.db.select().from(statuses).where(and(inArray(statuses.id, valid), visibleTo(viewerId))).all();
}
