// Reading accounts: by id, by handle, many at once.
import { and, eq, isNull, sql } from "drizzle-orm";
import { idList, inIdList, prepared } from "../../db/prepared.ts";
import type { Storage } from "../../db/client.ts";
import { isId } from "../../db/ids.ts";
import { accounts } from "../../db/schema.ts";
import { NotFoundError } from "../errors.ts";

export type AccountRow = typeof accounts.$inferSelect;

export function findAccount(storage: Storage, id: string): AccountRow | undefined {
  if (!isId(id)) return undefined;
  return storage.db.select().from(accounts).where(eq(accounts.id, id)).get();
}

export function getAccount(storage: Storage, id: string): AccountRow {
  const row = findAccount(storage, id);
  if (!row || row.suspendedAt !== null) throw new NotFoundError();
  return row;
}

export function findAccounts(storage: Storage, ids: string[]): Map<string, AccountRow> {
  const valid = ids.filter(isId);
  if (!valid.length) return new Map();
  // Every rendered page loads its accounts here: one prepared statement for any number of ids.
  const query = prepared(storage, "accounts-by-id", () => storage.db.select().from(accounts).where(inIdList(accounts.id, "ids")).prepare());
  return new Map(query.all({ ids: idList(valid) }).map((a) => [a.id, a]));
}

/**
 * An account by `user` or `user@domain` (the local domain counts as local). Remote accounts Roost
 * has not seen are not fetched here; resolving them arrives with federation.
 */
export function findAccountByAcct(storage: Storage, acct: string, localDomains: string[]): AccountRow | undefined {
  const clean = acct.trim().replace(/^@/, "");
  const at = clean.indexOf("@");
  const username = at < 0 ? clean : clean.slice(0, at);
  let domain: string | null = at < 0 ? null : clean.slice(at + 1).toLowerCase();
  if (domain && localDomains.includes(domain)) domain = null;
  if (!username) return undefined;
  return storage.db
    .select()
    .from(accounts)
    .where(
      and(
        sql`lower(${accounts.username}) = ${username.toLowerCase()}`,
        domain === null ? isNull(accounts.domain) : sql`lower(${accounts.domain}) = ${domain}`,
      ),
    )
    .get();
}
