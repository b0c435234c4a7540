// Status (entities/Status.md), rendered in batches: a page of statuses loads its boosts' originals,
// accounts, media, mentions, tags, polls, quotes and the viewer's own marks in a fixed number of queries.
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "../../context.ts";
import {
  bookmarks,
  conversationMutes,
  favourites,
  follows,
  mediaAttachments,
  mentions,
  oauthApplications,
  polls,
  pollVotes,
  statusPins,
  statuses,
  statusTags,
  tags,
} from "../../db/schema.ts";
import { findAccounts, type AccountRow } from "../../domain/accounts/queries.ts";
import type { StatusRow } from "../../domain/statuses/queries.ts";
import { loadFilters, matchFilters, type FilterContext, type LoadedFilter } from "../../domain/filters.ts";
import { acctOf, renderAccount } from "./account.ts";
import { renderFilterResult } from "./filter.ts";
import { renderMediaAttachment, type MediaRow } from "./media.ts";
import { renderPoll, type PollRow } from "./poll.ts";

const iso = (ms: number) => new Date(ms).toISOString();

interface Batch {
  accounts: Map<string, AccountRow>;
  media: Map<string, MediaRow[]>;
  mentions: Map<string, AccountRow[]>;
  tags: Map<string, { name: string }[]>;
  polls: Map<string, PollRow>;
  ownVotes: Map<string, number[]>;
  apps: Map<string, { name: string; website: string | null }>;
  statuses: Map<string, StatusRow>;
  favourited: Set<string>;
  reblogged: Set<string>;
  bookmarked: Set<string>;
  pinned: Set<string>;
  mutedConversations: Set<string>;
  viewerFollows: Set<string>;
  filters: LoadedFilter[];
}

export interface RenderOptions {
  /** Apply the viewer's filters for this context: `hide` drops statuses, others mark them `filtered`. */
  filterContext?: FilterContext;
}

function group<T, K>(rows: T[], key: (r: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return map;
}

function loadBatch(ctx: Context, rows: StatusRow[], viewerId: string | null, options: RenderOptions): Batch {
  const { db } = ctx.storage;
  const all = new Map(rows.map((s) => [s.id, s]));
  // Boosted originals, then quoted statuses (one level deep).
  for (const pass of ["reblogOfId", "quoteOfId"] as const) {
    const missing = [...new Set([...all.values()].map((s) => s[pass]).filter((id): id is string => !!id && !all.has(id)))];
    if (missing.length) for (const s of db.select().from(statuses).where(inArray(statuses.id, missing)).all()) all.set(s.id, s);
  }
  const ids = [...all.keys()];
  const mentionRows = ids.length ? db.select().from(mentions).where(inArray(mentions.statusId, ids)).all() : [];
  const accountMap = findAccounts(ctx.storage, [...[...all.values()].map((s) => s.accountId), ...mentionRows.map((m) => m.accountId)]);
  const mediaRows = ids.length ? db.select().from(mediaAttachments).where(inArray(mediaAttachments.statusId, ids)).orderBy(mediaAttachments.position).all() : [];
  const tagRows = ids.length
    ? db.select({ statusId: statusTags.statusId, name: tags.displayName }).from(statusTags).innerJoin(tags, eq(statusTags.tagId, tags.id)).where(inArray(statusTags.statusId, ids)).all()
    : [];
  const pollRows = ids.length ? db.select().from(polls).where(inArray(polls.statusId, ids)).all() : [];
  const appIds = [...new Set([...all.values()].map((s) => s.applicationId).filter((a): a is string => !!a))];
  const apps = appIds.length ? db.select({ id: oauthApplications.id, name: oauthApplications.name, website: oauthApplications.website }).from(oauthApplications).where(inArray(oauthApplications.id, appIds)).all() : [];

  const mine = <T extends typeof favourites | typeof bookmarks | typeof statusPins>(table: T) =>
    viewerId && ids.length
      ? new Set(db.select({ id: table.statusId }).from(table).where(and(eq(table.accountId, viewerId), inArray(table.statusId, ids))).all().map((r) => r.id))
      : new Set<string>();
  const votes = viewerId && pollRows.length
    ? db.select().from(pollVotes).where(and(eq(pollVotes.accountId, viewerId), inArray(pollVotes.pollId, pollRows.map((p) => p.id)))).all()
    : [];
  const conversations = [...new Set([...all.values()].map((s) => s.conversationId).filter((c): c is string => !!c))];

  return {
    filters: viewerId && options.filterContext ? loadFilters(ctx.storage, viewerId, options.filterContext) : [],
    accounts: accountMap,
    statuses: all,
    media: group(mediaRows, (m) => m.statusId!),
    mentions: new Map([...group(mentionRows, (m) => m.statusId)].map(([k, v]) => [k, v.flatMap((m) => (accountMap.has(m.accountId) ? [accountMap.get(m.accountId)!] : []))])),
    tags: group(tagRows, (t) => t.statusId),
    polls: new Map(pollRows.map((p) => [p.statusId, p])),
    ownVotes: new Map([...group(votes, (v) => v.pollId)].map(([k, v]) => [k, v.map((x) => x.choice)])),
    apps: new Map(apps.map((a) => [a.id, a])),
    favourited: mine(favourites),
    bookmarked: mine(bookmarks),
    pinned: mine(statusPins),
    reblogged:
      viewerId && ids.length
        ? new Set(db.select({ id: statuses.reblogOfId }).from(statuses).where(and(eq(statuses.accountId, viewerId), inArray(statuses.reblogOfId, ids))).all().map((r) => r.id!))
        : new Set(),
    mutedConversations:
      viewerId && conversations.length
        ? new Set(db.select({ id: conversationMutes.conversationId }).from(conversationMutes).where(and(eq(conversationMutes.accountId, viewerId), inArray(conversationMutes.conversationId, conversations))).all().map((r) => r.id))
        : new Set(),
    viewerFollows:
      viewerId
        ? new Set(db.select({ id: follows.targetAccountId }).from(follows).where(and(eq(follows.accountId, viewerId), inArray(follows.targetAccountId, [...new Set([...all.values()].map((s) => s.accountId))]))).all().map((r) => r.id))
        : new Set(),
  };
}

function quoteApproval(status: StatusRow, viewerId: string | null, batch: Batch) {
  const automatic = status.quoteApprovalPolicy === "public" ? ["public"] : status.quoteApprovalPolicy === "followers" ? ["followers"] : [];
  let current: string;
  if (status.visibility === "private" || status.visibility === "direct") current = viewerId === status.accountId ? "automatic" : "denied";
  else if (!viewerId) current = "unknown";
  else if (viewerId === status.accountId || status.quoteApprovalPolicy === "public") current = "automatic";
  else if (status.quoteApprovalPolicy === "followers" && batch.viewerFollows.has(status.accountId)) current = "automatic";
  else current = "denied";
  return { automatic, manual: [], current_user: current };
}

function renderOne(ctx: Context, status: StatusRow, viewerId: string | null, batch: Batch, depth: number): Record<string, unknown> | null {
  const account = batch.accounts.get(status.accountId);
  if (!account) return null;
  const reblogOf = status.reblogOfId ? batch.statuses.get(status.reblogOfId) : undefined;
  const reblog = reblogOf ? renderOne(ctx, reblogOf, viewerId, batch, depth) : null;
  if (status.reblogOfId && !reblog) return null;
  const poll = batch.polls.get(status.id);
  const app = status.applicationId ? batch.apps.get(status.applicationId) : undefined;
  const base = ctx.config.publicUrl.origin;
  let quote: Record<string, unknown> | null = null;
  if (status.quoteOfId) {
    const quoted = batch.statuses.get(status.quoteOfId);
    if (!quoted) quote = { state: "deleted", quoted_status: null };
    else if (depth > 0) quote = { state: "accepted", quoted_status_id: quoted.id };
    else quote = { state: "accepted", quoted_status: renderOne(ctx, quoted, viewerId, batch, depth + 1) };
  }
  const rendered: Record<string, unknown> = {
    id: status.id,
    created_at: iso(status.createdAt),
    in_reply_to_id: status.inReplyToId,
    in_reply_to_account_id: status.inReplyToAccountId,
    sensitive: status.sensitive,
    spoiler_text: status.spoilerText,
    visibility: status.visibility,
    language: status.language,
    uri: status.uri,
    url: status.url,
    replies_count: status.repliesCount,
    reblogs_count: status.reblogsCount,
    favourites_count: status.favouritesCount,
    quotes_count: 0,
    edited_at: status.editedAt === null ? null : iso(status.editedAt),
    content: status.content,
    reblog,
    application: app ? { name: app.name, website: app.website } : null,
    account: renderAccount(ctx.config, account),
    media_attachments: (batch.media.get(status.id) ?? []).map((m) => renderMediaAttachment(ctx.config, m)),
    mentions: (batch.mentions.get(status.id) ?? []).map((a) => ({ id: a.id, username: a.username, url: a.url ?? a.uri, acct: acctOf(a) })),
    tags: (batch.tags.get(status.id) ?? []).map((t) => ({ name: t.name, url: `${base}/tags/${encodeURIComponent(t.name.toLowerCase())}` })),
    emojis: [],
    quote,
    quote_approval: quoteApproval(status, viewerId, batch),
    card: null,
    poll: poll ? renderPoll(poll, viewerId ? (batch.ownVotes.get(poll.id) ?? []) : null, status.accountId === viewerId) : null,
  };
  let filtered: Record<string, unknown>[] = [];
  if (batch.filters.length && status.accountId !== viewerId) {
    const content = reblogOf ?? status;
    const matches = matchFilters(batch.filters, content.id, {
      content: content.content,
      spoilerText: content.spoilerText,
      extra: [
        ...(batch.media.get(content.id) ?? []).map((m) => m.description ?? ""),
        ...(batch.polls.has(content.id) ? (JSON.parse(batch.polls.get(content.id)!.options) as { title: string }[]).map((o) => o.title) : []),
      ],
    });
    if (matches.some((m) => m.filter.filter.filterAction === "hide")) return null;
    filtered = matches.map(renderFilterResult);
  }
  if (status.reblogOfId) {
    // A boost carries no content of its own.
    rendered.content = "";
    rendered.quote_approval = { automatic: [], manual: [], current_user: "denied" };
  }
  if (viewerId) {
    const target = status.reblogOfId ?? status.id;
    rendered.favourited = batch.favourited.has(target);
    rendered.reblogged = batch.reblogged.has(target);
    rendered.muted = status.conversationId ? batch.mutedConversations.has(status.conversationId) : false;
    rendered.bookmarked = batch.bookmarked.has(target);
    if (status.accountId === viewerId && !status.reblogOfId) rendered.pinned = batch.pinned.has(status.id);
    rendered.filtered = filtered;
  }
  return rendered;
}

/** Renders statuses for a viewer, dropping any whose author or boosted original is gone. */
export function renderStatuses(ctx: Context, rows: StatusRow[], viewerId: string | null, options: RenderOptions = {}): Record<string, unknown>[] {
  if (!rows.length) return [];
  const batch = loadBatch(ctx, rows, viewerId, options);
  return rows.flatMap((s) => {
    const r = renderOne(ctx, s, viewerId, batch, 0);
    return r ? [r] : [];
  });
}

export function renderStatus(ctx: Context, row: StatusRow, viewerId: string | null): Record<string, unknown> {
  // A single status is never filtered away: its author page and direct links must show it.
  return renderStatuses(ctx, [row], viewerId)[0]!;
}
