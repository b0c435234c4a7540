// Account, CredentialAccount (entities/Account.md) and Relationship (entities/Relationship.md).
import type { Config } from "../../config.ts";
import type { accounts, users } from "../../db/schema.ts";
import { MISSING_AVATAR_PATH, MISSING_HEADER_PATH } from "../../../ui/routes/assets.ts";

type AccountRow = typeof accounts.$inferSelect;
type UserRow = typeof users.$inferSelect;

export interface StoredField {
  name: string;
  /** HTML. */
  value: string;
  /** The owner's field value as typed. */
  source_value?: string;
  verified_at: string | null;
}

export function storedFields(row: AccountRow): StoredField[] {
  try {
    return JSON.parse(row.fields) as StoredField[];
  } catch {
    return [];
  }
}

/** Mastodon sends created_at as midnight UTC of the day, and last_status_at as a date. */
const midnight = (ms: number) => new Date(ms).toISOString().slice(0, 10) + "T00:00:00.000Z";
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function acctOf(row: Pick<AccountRow, "username" | "domain">): string {
  return row.domain ? `${row.username}@${row.domain}` : row.username;
}

export function renderAccount(config: Config, row: AccountRow) {
  const base = config.publicUrl.origin;
  const avatar = row.avatarUrl ?? base + MISSING_AVATAR_PATH;
  const header = row.headerUrl ?? base + MISSING_HEADER_PATH;
  const account: Record<string, unknown> = {
    id: row.id,
    username: row.username,
    acct: acctOf(row),
    display_name: row.displayName,
    locked: row.locked,
    bot: row.bot,
    discoverable: row.discoverable,
    indexable: row.indexable,
    group: row.actorType === "Group",
    created_at: midnight(row.createdAt),
    note: row.note,
    url: row.url ?? row.uri,
    uri: row.uri,
    avatar,
    avatar_static: row.avatarStaticUrl ?? avatar,
    avatar_description: "",
    header,
    header_static: row.headerStaticUrl ?? header,
    header_description: "",
    followers_count: row.followersCount,
    following_count: row.followingCount,
    statuses_count: row.statusesCount,
    last_status_at: row.lastStatusAt === null ? null : day(row.lastStatusAt),
    hide_collections: row.hideCollections,
    emojis: [],
    fields: storedFields(row).map((f) => ({ name: f.name, value: f.value, verified_at: f.verified_at })),
    roles: [],
    show_media: true,
    show_media_replies: true,
    show_featured: true,
  };
  if (row.domain === null) account.noindex = false;
  if (row.suspendedAt !== null) account.suspended = true;
  if (row.silencedAt !== null) account.limited = true;
  return account;
}

export type RenderedAccount = ReturnType<typeof renderAccount>;

const OWNER_ROLE = { id: "3", name: "Owner", permissions: "1", color: "", highlighted: false };

export function renderCredentialAccount(config: Config, row: AccountRow, user: UserRow, followRequestsCount: number) {
  return {
    ...renderAccount(config, row),
    source: {
      privacy: user.defaultPrivacy,
      sensitive: user.defaultSensitive,
      language: user.defaultLanguage,
      note: row.noteSource ?? "",
      fields: storedFields(row).map((f) => ({ name: f.name, value: f.source_value ?? f.value, verified_at: f.verified_at })),
      follow_requests_count: followRequestsCount,
      hide_collections: row.hideCollections,
      discoverable: row.discoverable,
      indexable: row.indexable,
      attribution_domains: [],
      quote_policy: "public",
    },
    role: OWNER_ROLE,
  };
}
