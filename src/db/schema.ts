// The tables. Changes here become SQL with `npm run db:generate` (drizzle-kit → migrations/),
// which the server applies at start after backing the database up.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { flag, millis, snowflake } from "./columns.ts";

/** Every actor Roost knows: the owner (domain null) and remote accounts. */
export const accounts = sqliteTable(
  "accounts",
  {
    id: snowflake("id").primaryKey(),
    username: text("username").notNull(),
    /** Null for the local owner; the account's domain otherwise. */
    domain: text("domain"),
    displayName: text("display_name").notNull().default(""),
    /** HTML, sanitized for remote accounts. */
    note: text("note").notNull().default(""),
    /** The owner's note as typed (source.note); null for remote accounts. */
    noteSource: text("note_source"),
    /** The ActivityPub actor id. */
    uri: text("uri").notNull(),
    url: text("url"),
    actorType: text("actor_type").notNull().default("Person"),
    inboxUrl: text("inbox_url"),
    sharedInboxUrl: text("shared_inbox_url"),
    outboxUrl: text("outbox_url"),
    followersUrl: text("followers_url"),
    followingUrl: text("following_url"),
    featuredUrl: text("featured_url"),
    avatarUrl: text("avatar_url"),
    avatarStaticUrl: text("avatar_static_url"),
    headerUrl: text("header_url"),
    headerStaticUrl: text("header_static_url"),
    /** JSON array of { name, value, verified_at }. */
    fields: text("fields").notNull().default("[]"),
    locked: flag("locked").notNull().default(false),
    bot: flag("bot").notNull().default(false),
    discoverable: flag("discoverable").notNull().default(true),
    indexable: flag("indexable").notNull().default(false),
    hideCollections: flag("hide_collections").notNull().default(false),
    movedToAccountId: snowflake("moved_to_account_id"),
    statusesCount: integer("statuses_count").notNull().default(0),
    followersCount: integer("followers_count").notNull().default(0),
    followingCount: integer("following_count").notNull().default(0),
    lastStatusAt: millis("last_status_at"),
    suspendedAt: millis("suspended_at"),
    silencedAt: millis("silenced_at"),
    createdAt: millis("created_at").notNull(),
    updatedAt: millis("updated_at").notNull(),
    /** When a remote account was last fetched from its server. */
    fetchedAt: millis("fetched_at"),
  },
  (t) => [
    uniqueIndex("accounts_uri_unique").on(t.uri),
    // Usernames are case-insensitive, as in Mastodon. Two partial indexes because NULLs never collide.
    uniqueIndex("accounts_remote_handle_unique").on(sql`lower(${t.username})`, sql`lower(${t.domain})`).where(sql`domain IS NOT NULL`),
    uniqueIndex("accounts_local_handle_unique").on(sql`lower(${t.username})`).where(sql`domain IS NULL`),
  ],
);

/** The person who owns this server (one row), with what only a login user has. */
export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  accountId: snowflake("account_id")
    .notNull()
    .unique()
    .references(() => accounts.id, { onDelete: "cascade" }),
  passwordHash: text("password_hash").notNull(),
  email: text("email"),
  locale: text("locale").notNull().default("en"),
  defaultPrivacy: text("default_privacy", { enum: ["public", "unlisted", "private", "direct"] }).notNull().default("public"),
  defaultSensitive: flag("default_sensitive").notNull().default(false),
  defaultLanguage: text("default_language"),
  createdAt: millis("created_at").notNull(),
  updatedAt: millis("updated_at").notNull(),
});

export const statuses = sqliteTable(
  "statuses",
  {
    id: snowflake("id").primaryKey(),
    uri: text("uri").notNull(),
    url: text("url"),
    accountId: snowflake("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Kept when the parent is deleted, as Mastodon does, so no foreign key. */
    inReplyToId: snowflake("in_reply_to_id"),
    inReplyToAccountId: snowflake("in_reply_to_account_id"),
    reblogOfId: snowflake("reblog_of_id").references((): any => statuses.id, { onDelete: "cascade" }),
    /** The text as typed (local) or extracted (remote); used for source and delete & redraft. */
    text: text("text").notNull().default(""),
    /** Rendered or sanitized HTML. */
    content: text("content").notNull().default(""),
    spoilerText: text("spoiler_text").notNull().default(""),
    sensitive: flag("sensitive").notNull().default(false),
    visibility: text("visibility", { enum: ["public", "unlisted", "private", "direct"] }).notNull(),
    language: text("language"),
    local: flag("local").notNull(),
    applicationId: snowflake("application_id"),
    /** Shared by a thread: the root's conversation (muting a conversation mutes this). */
    conversationId: snowflake("conversation_id"),
    quoteOfId: snowflake("quote_of_id"),
    /** Mastodon 4.5 quote policy: public, followers or nobody. */
    quoteApprovalPolicy: text("quote_approval_policy").notNull().default("public"),
    repliesCount: integer("replies_count").notNull().default(0),
    reblogsCount: integer("reblogs_count").notNull().default(0),
    favouritesCount: integer("favourites_count").notNull().default(0),
    createdAt: millis("created_at").notNull(),
    editedAt: millis("edited_at"),
    updatedAt: millis("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("statuses_uri_unique").on(t.uri),
    index("statuses_account_id_id").on(t.accountId, t.id),
    index("statuses_in_reply_to_id").on(t.inReplyToId),
    index("statuses_reblog_of_id").on(t.reblogOfId),
    index("statuses_conversation").on(t.conversationId),
  ],
);

/** A follow and a pending follow request have the same shape (separate tables, as in Mastodon). */
const followColumns = () => ({
  id: snowflake("id").primaryKey(),
  accountId: snowflake("account_id")
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" }),
  targetAccountId: snowflake("target_account_id")
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" }),
  /** The Follow activity's id. */
  uri: text("uri"),
  showReblogs: flag("show_reblogs").notNull().default(true),
  notify: flag("notify").notNull().default(false),
  /** JSON array of language codes, or null for all. */
  languages: text("languages"),
  createdAt: millis("created_at").notNull(),
});

export const follows = sqliteTable("follows", followColumns(), (t) => [
  uniqueIndex("follows_pair_unique").on(t.accountId, t.targetAccountId),
  index("follows_target").on(t.targetAccountId),
]);

export const followRequests = sqliteTable("follow_requests", followColumns(), (t) => [
  uniqueIndex("follow_requests_pair_unique").on(t.accountId, t.targetAccountId),
  index("follow_requests_target").on(t.targetAccountId),
]);

export const oauthApplications = sqliteTable(
  "oauth_applications",
  {
    id: snowflake("id").primaryKey(),
    name: text("name").notNull(),
    website: text("website"),
    /** JSON array of redirect URIs. */
    redirectUris: text("redirect_uris").notNull(),
    /** Space-separated scopes the app may request. */
    scopes: text("scopes").notNull(),
    clientId: text("client_id").notNull().unique(),
    /** SHA-256 of the client secret; the secret itself is shown once. */
    clientSecretHash: text("client_secret_hash").notNull(),
    createdAt: millis("created_at").notNull(),
  },
);

/** Authorization codes (Doorkeeper's access grants), single use and short-lived. */
export const oauthAuthorizationCodes = sqliteTable("oauth_authorization_codes", {
  id: snowflake("id").primaryKey(),
  codeHash: text("code_hash").notNull().unique(),
  applicationId: snowflake("application_id")
    .notNull()
    .references(() => oauthApplications.id, { onDelete: "cascade" }),
  accountId: snowflake("account_id")
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" }),
  redirectUri: text("redirect_uri").notNull(),
  scopes: text("scopes").notNull(),
  codeChallenge: text("code_challenge"),
  codeChallengeMethod: text("code_challenge_method"),
  expiresAt: millis("expires_at").notNull(),
  usedAt: millis("used_at"),
  createdAt: millis("created_at").notNull(),
});

export const oauthAccessTokens = sqliteTable(
  "oauth_access_tokens",
  {
    id: snowflake("id").primaryKey(),
    /** SHA-256 of the bearer token. */
    tokenHash: text("token_hash").notNull().unique(),
    refreshTokenHash: text("refresh_token_hash").unique(),
    applicationId: snowflake("application_id")
      .notNull()
      .references(() => oauthApplications.id, { onDelete: "cascade" }),
    /** Null for client_credentials (app-only) tokens. */
    accountId: snowflake("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    scopes: text("scopes").notNull(),
    createdAt: millis("created_at").notNull(),
    expiresAt: millis("expires_at"),
    revokedAt: millis("revoked_at"),
    lastUsedAt: millis("last_used_at"),
  },
  (t) => [index("oauth_access_tokens_application").on(t.applicationId)],
);

/** The durable job queue (src/jobs). Finished jobs are deleted; failed ones stay with their last error. */
export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    /** JSON. */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["queued", "running", "failed"] }).notNull().default("queued"),
    /** Higher runs first among jobs that are due. */
    priority: integer("priority").notNull().default(0),
    runAt: millis("run_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    dedupeKey: text("dedupe_key"),
    lastError: text("last_error"),
    createdAt: millis("created_at").notNull(),
    updatedAt: millis("updated_at").notNull(),
    startedAt: millis("started_at"),
  },
  (t) => [
    index("jobs_due").on(t.status, t.runAt),
    // One pending job per dedupe key; a failed job does not block a new one.
    uniqueIndex("jobs_dedupe_pending").on(t.dedupeKey).where(sql`status IN ('queued', 'running') AND dedupe_key IS NOT NULL`),
  ],
);

/** A small key-value store: server settings, and later Fedify's KvStore. */
export const kv = sqliteTable("kv", {
  key: text("key").primaryKey(),
  /** JSON. */
  value: text("value").notNull(),
  expiresAt: millis("expires_at"),
});

/** Browser sign-ins of the owner (the authorize page, later the web UI). The cookie holds the token. */
export const webSessions = sqliteTable("web_sessions", {
  id: snowflake("id").primaryKey(),
  /** SHA-256 of the cookie value. */
  tokenHash: text("token_hash").notNull().unique(),
  accountId: snowflake("account_id")
    .notNull()
    .references(() => accounts.id, { onDelete: "cascade" }),
  userAgent: text("user_agent"),
  ip: text("ip"),
  createdAt: millis("created_at").notNull(),
  expiresAt: millis("expires_at").notNull(),
});

export const mutes = sqliteTable(
  "mutes",
  {
    id: snowflake("id").primaryKey(),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    targetAccountId: snowflake("target_account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    hideNotifications: flag("hide_notifications").notNull().default(true),
    expiresAt: millis("expires_at"),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [uniqueIndex("mutes_pair_unique").on(t.accountId, t.targetAccountId)],
);

export const blocks = sqliteTable(
  "blocks",
  {
    id: snowflake("id").primaryKey(),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    targetAccountId: snowflake("target_account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    uri: text("uri"),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [uniqueIndex("blocks_pair_unique").on(t.accountId, t.targetAccountId), index("blocks_target").on(t.targetAccountId)],
);

/** The owner's private notes on accounts (Relationship.note). */
export const accountNotes = sqliteTable(
  "account_notes",
  {
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    targetAccountId: snowflake("target_account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    comment: text("comment").notNull(),
    updatedAt: millis("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.targetAccountId] })],
);

/** An account's relation to a status (favourite, bookmark, pin): one row per pair, paged by its own id. */
const statusRelationColumns = () => ({
  id: snowflake("id").primaryKey(),
  accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
  statusId: snowflake("status_id").notNull().references(() => statuses.id, { onDelete: "cascade" }),
  createdAt: millis("created_at").notNull(),
});

export const favourites = sqliteTable("favourites", { ...statusRelationColumns(), uri: text("uri") }, (t) => [
  uniqueIndex("favourites_pair_unique").on(t.accountId, t.statusId),
  index("favourites_status").on(t.statusId),
]);

export const bookmarks = sqliteTable("bookmarks", statusRelationColumns(), (t) => [
  uniqueIndex("bookmarks_pair_unique").on(t.accountId, t.statusId),
  index("bookmarks_status").on(t.statusId),
]);

export const statusPins = sqliteTable("status_pins", statusRelationColumns(), (t) => [
  uniqueIndex("status_pins_pair_unique").on(t.accountId, t.statusId),
  index("status_pins_status").on(t.statusId),
]);

export const mentions = sqliteTable(
  "mentions",
  {
    id: snowflake("id").primaryKey(),
    statusId: snowflake("status_id").notNull().references(() => statuses.id, { onDelete: "cascade" }),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("mentions_pair_unique").on(t.statusId, t.accountId), index("mentions_account").on(t.accountId, t.statusId)],
);

export const tags = sqliteTable("tags", {
  id: snowflake("id").primaryKey(),
  /** Lower-cased; the unique key. */
  name: text("name").notNull().unique(),
  /** As first written, for display. */
  displayName: text("display_name").notNull(),
  createdAt: millis("created_at").notNull(),
});

export const statusTags = sqliteTable(
  "status_tags",
  {
    statusId: snowflake("status_id").notNull().references(() => statuses.id, { onDelete: "cascade" }),
    tagId: snowflake("tag_id").notNull().references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.statusId, t.tagId] }), index("status_tags_tag").on(t.tagId, t.statusId)],
);

export const mediaAttachments = sqliteTable(
  "media_attachments",
  {
    id: snowflake("id").primaryKey(),
    /** Null until attached to a status. */
    statusId: snowflake("status_id").references(() => statuses.id, { onDelete: "set null" }),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    type: text("type", { enum: ["image", "gifv", "video", "audio", "unknown"] }).notNull(),
    /** Path under the media folder for local files; null for remote media not cached. */
    filePath: text("file_path"),
    previewPath: text("preview_path"),
    remoteUrl: text("remote_url"),
    description: text("description"),
    /** "x,y" in -1..1, Mastodon's focal point. */
    focus: text("focus"),
    /** JSON: Mastodon's meta (original/small sizes, focus). */
    meta: text("meta").notNull().default("{}"),
    blurhash: text("blurhash"),
    /** Position within the status. */
    position: integer("position").notNull().default(0),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [index("media_attachments_status").on(t.statusId)],
);

/** Earlier versions of edited statuses (StatusEdit), the first being the original. */
export const statusEdits = sqliteTable(
  "status_edits",
  {
    id: snowflake("id").primaryKey(),
    statusId: snowflake("status_id").notNull().references(() => statuses.id, { onDelete: "cascade" }),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    content: text("content").notNull(),
    spoilerText: text("spoiler_text").notNull(),
    sensitive: flag("sensitive").notNull(),
    /** JSON array of media attachment ids with their description at the time. */
    media: text("media").notNull().default("[]"),
    /** JSON array of poll option titles, or null. */
    pollOptions: text("poll_options"),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [index("status_edits_status").on(t.statusId, t.id)],
);

export const polls = sqliteTable("polls", {
  id: snowflake("id").primaryKey(),
  statusId: snowflake("status_id").notNull().unique().references(() => statuses.id, { onDelete: "cascade" }),
  /** JSON array of { title, votes_count }. */
  options: text("options").notNull(),
  multiple: flag("multiple").notNull().default(false),
  hideTotals: flag("hide_totals").notNull().default(false),
  expiresAt: millis("expires_at"),
  votesCount: integer("votes_count").notNull().default(0),
  votersCount: integer("voters_count").notNull().default(0),
  createdAt: millis("created_at").notNull(),
});

export const pollVotes = sqliteTable(
  "poll_votes",
  {
    id: snowflake("id").primaryKey(),
    pollId: snowflake("poll_id").notNull().references(() => polls.id, { onDelete: "cascade" }),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    choice: integer("choice").notNull(),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [uniqueIndex("poll_votes_unique").on(t.pollId, t.accountId, t.choice)],
);

export const conversationMutes = sqliteTable(
  "conversation_mutes",
  {
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    conversationId: snowflake("conversation_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.conversationId] })],
);

/** Where the owner stopped reading (home, notifications), shared between their apps. */
export const markers = sqliteTable(
  "markers",
  {
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    timeline: text("timeline", { enum: ["home", "notifications"] }).notNull(),
    lastReadId: text("last_read_id").notNull(),
    version: integer("version").notNull().default(0),
    updatedAt: millis("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.timeline] })],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: snowflake("id").primaryKey(),
    /** Who is notified (the owner). */
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    fromAccountId: snowflake("from_account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    statusId: snowflake("status_id").references(() => statuses.id, { onDelete: "cascade" }),
    /** Grouped notifications (v2): favourites/boosts of one status, follows of one day; else unique. */
    groupKey: text("group_key").notNull(),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [index("notifications_account").on(t.accountId, t.id), index("notifications_group").on(t.accountId, t.groupKey, t.id)],
);

export const scheduledStatuses = sqliteTable(
  "scheduled_statuses",
  {
    id: snowflake("id").primaryKey(),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    scheduledAt: millis("scheduled_at").notNull(),
    /** JSON: the status parameters as Mastodon's ScheduledStatus.params. */
    params: text("params").notNull(),
    applicationId: snowflake("application_id"),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [index("scheduled_statuses_account").on(t.accountId, t.id)],
);

export const lists = sqliteTable("lists", {
  id: snowflake("id").primaryKey(),
  accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
  title: text("title").notNull(),
  repliesPolicy: text("replies_policy", { enum: ["followed", "list", "none"] }).notNull().default("list"),
  /** Members' posts show only in this list, not in home. */
  exclusive: flag("exclusive").notNull().default(false),
  createdAt: millis("created_at").notNull(),
});

export const listAccounts = sqliteTable(
  "list_accounts",
  {
    id: snowflake("id").primaryKey(),
    listId: snowflake("list_id").notNull().references(() => lists.id, { onDelete: "cascade" }),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("list_accounts_pair_unique").on(t.listId, t.accountId), index("list_accounts_account").on(t.accountId)],
);

/** Filters v2 (entities/Filter.md) with their keywords and statuses. */
export const filters = sqliteTable("filters", {
  id: snowflake("id").primaryKey(),
  accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
  title: text("title").notNull(),
  /** JSON array of home, notifications, public, thread, account. */
  context: text("context").notNull(),
  filterAction: text("filter_action", { enum: ["warn", "hide", "blur"] }).notNull().default("warn"),
  expiresAt: millis("expires_at"),
  createdAt: millis("created_at").notNull(),
});

export const filterKeywords = sqliteTable("filter_keywords", {
  id: snowflake("id").primaryKey(),
  filterId: snowflake("filter_id").notNull().references(() => filters.id, { onDelete: "cascade" }),
  keyword: text("keyword").notNull(),
  wholeWord: flag("whole_word").notNull().default(true),
});

export const filterStatuses = sqliteTable(
  "filter_statuses",
  {
    id: snowflake("id").primaryKey(),
    filterId: snowflake("filter_id").notNull().references(() => filters.id, { onDelete: "cascade" }),
    statusId: snowflake("status_id").notNull().references(() => statuses.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("filter_statuses_pair_unique").on(t.filterId, t.statusId)],
);

export const followedTags = sqliteTable(
  "followed_tags",
  {
    id: snowflake("id").primaryKey(),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    tagId: snowflake("tag_id").notNull().references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [uniqueIndex("followed_tags_pair_unique").on(t.accountId, t.tagId)],
);

export const featuredTags = sqliteTable(
  "featured_tags",
  {
    id: snowflake("id").primaryKey(),
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    tagId: snowflake("tag_id").notNull().references(() => tags.id, { onDelete: "cascade" }),
    createdAt: millis("created_at").notNull(),
  },
  (t) => [uniqueIndex("featured_tags_pair_unique").on(t.accountId, t.tagId)],
);

/** Per-conversation state of direct messages: read or not, hidden from the list or not. */
export const conversationStates = sqliteTable(
  "conversation_states",
  {
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    conversationId: snowflake("conversation_id").notNull(),
    lastReadStatusId: snowflake("last_read_status_id"),
    /** Removed from the list until a new message arrives. */
    hiddenBeforeStatusId: snowflake("hidden_before_status_id"),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.conversationId] })],
);

/**
 * Each local user's home timeline, materialized when statuses arrive (as Mastodon's feed manager does),
 * so reading home is an index walk. Mutes, blocks and visibility are still checked when reading.
 */
export const homeFeed = sqliteTable(
  "home_feed",
  {
    accountId: snowflake("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    statusId: snowflake("status_id").notNull().references(() => statuses.id, { onDelete: "cascade" }),
    /** The boosted original, for collapsing repeated boosts. */
    reblogOfId: snowflake("reblog_of_id"),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.statusId] }), index("home_feed_reblog").on(t.accountId, t.reblogOfId)],
);
