// The owner: the one local account, and the login user behind it.
import { eq, isNull } from "drizzle-orm";
import type { Context } from "../../context.ts";
import type { Storage } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import { accounts, users } from "../../db/schema.ts";
import { ConflictError, ValidationError } from "../errors.ts";

/** Mastodon's username rule: letters, digits and underscores, with dots or dashes inside. */
const USERNAME = /^[a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?$/i;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

export interface NewOwner {
  username: string;
  displayName?: string;
  password: string;
}

export function validateUsername(username: string): string | undefined {
  if (!username) return "username is required";
  if (username.length > 30) return "username must be at most 30 characters";
  if (!USERNAME.test(username)) return "username may contain only letters, digits and underscores (dots and dashes inside)";
  return undefined;
}

export function validatePassword(password: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters`;
  return undefined;
}

export function findOwner(storage: Storage) {
  return storage.db
    .select({ account: accounts, user: users })
    .from(users)
    .innerJoin(accounts, eq(users.accountId, accounts.id))
    .where(isNull(accounts.domain))
    .get();
}

export function hasOwner(storage: Storage): boolean {
  return storage.db.select({ id: users.id }).from(users).limit(1).get() !== undefined;
}

/** Creates the owner. Refuses when one exists: a Roost server belongs to one person. */
export async function createOwner(ctx: Context, input: NewOwner): Promise<{ accountId: string }> {
  const username = input.username.trim();
  const displayName = (input.displayName ?? "").trim();
  const problem = validateUsername(username) ?? validatePassword(input.password);
  if (problem) throw new ValidationError(problem);
  if (displayName.length > 30) throw new ValidationError("display name must be at most 30 characters");

  // Hash before the transaction: argon2id is deliberately slow and must not hold the write lock.
  const passwordHash = await Bun.password.hash(input.password, { algorithm: "argon2id" });
  const base = ctx.config.publicUrl.origin;
  const actor = `${base}/users/${username}`;
  const now = Date.now();
  const accountId = newId(now);

  ctx.storage.db.transaction((tx) => {
    if (tx.select({ id: users.id }).from(users).limit(1).get()) throw new ConflictError("this server already has an owner");
    tx.insert(accounts)
      .values({
        id: accountId,
        username,
        domain: null,
        displayName,
        noteSource: "",
        uri: actor,
        url: `${base}/@${username}`,
        inboxUrl: `${actor}/inbox`,
        sharedInboxUrl: `${base}/inbox`,
        outboxUrl: `${actor}/outbox`,
        followersUrl: `${actor}/followers`,
        followingUrl: `${actor}/following`,
        featuredUrl: `${actor}/collections/featured`,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    tx.insert(users).values({ accountId, passwordHash, createdAt: now, updatedAt: now }).run();
  }, { behavior: "immediate" });

  ctx.events.publish("owner.created", { accountId });
  return { accountId };
}

export async function verifyOwnerPassword(storage: Storage, password: string): Promise<boolean> {
  const owner = findOwner(storage);
  if (!owner) return false;
  return Bun.password.verify(password, owner.user.passwordHash);
}
