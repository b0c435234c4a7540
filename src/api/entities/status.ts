// Status (entities/Status.md), rendered in batches: a page of statuses loads its boosts' originals,
// accounts, media, mentions, tags, polls, quotes and the viewer's own marks in a fixed number of queries.
import { and, eq, sql } from "drizzle-orm";
import { toStoredId } from "../../db/ids.ts";
import { idList, inIdList, prepared } from "../../db/prepared.ts";
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
  /** Accounts rendered once per batch: a page is often one author many times. */
  renderedAccounts: Map<string, ReturnType<typeof renderAccount>>;
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

/** The batch's queries, built once per database (see db/prepared.ts). */
function batchQueries(ctx: Context) {
  const { db } = ctx.storage;
  const viewer = sql.placeholder("viewer");
  return prepared(ctx.storage, "status-batch", () => ({
    statuses: db.select().from(statuses).where(inIdList(statuses.id, "ids")).prepare(),
    mentions: db.select().from(mentions).where(inIdList(mentions.statusId, "ids")).prepare(),
    media: db.select().from(mediaAttachments).where(inIdList(mediaAttachments.statusId, "ids")).orderBy(mediaAttachments.position).prepare(),
    tags: db.select({ statusId: statusTags.statusId, name: tags.displayName }).from(statusTags).innerJoin(tags, eq(statusTags.tagId, tags.id)).where(inIdList(statusTags.statusId, "ids")).prepare(),
    polls: db.select().from(polls).where(inIdList(polls.statusId, "ids")).prepare(),
    apps: db.select({ id: oauthApplications.id, name: oauthApplications.name, website: oauthApplications.website }).from(oauthApplications).where(inIdList(oauthApplications.id, "ids")).prepare(),
    favourited: db.select({ id: favourites.statusId }).from(favourites).where(and(eq(favourites.accountId, viewer), inIdList(favourites.statusId, "ids"))).prepare(),
    bookmarked: db.select({ id: bookmarks.statusId }).from(bookmarks).where(and(eq(bookmarks.accountId, viewer), inIdList(bookmarks.statusId, "ids"))).prepare(),
    pinned: db.select({ id: statusPins.statusId }).from(statusPins).where(and(eq(statusPins.accountId, viewer), inIdList(statusPins.statusId, "ids"))).prepare(),
    reblogged: db.select({ id: statuses.reblogOfId }).from(statuses).where(and(eq(statuses.accountId, viewer), inIdList(statuses.reblogOfId, "ids"))).prepare(),
    votes: db.select().from(pollVotes).where(and(eq(pollVotes.accountId, viewer), inIdList(pollVotes.pollId, "ids"))).prepare(),
    mutedConversations: db.select({ id: conversationMutes.conversationId }).from(conversationMutes).where(and(eq(conversationMutes.accountId, viewer), inIdList(conversationMutes.conversationId, "ids"))).prepare(),
    follows: db.select({ id: follows.targetAccountId }).from(follows).where(and(eq(follows.accountId, viewer), inIdList(follows.targetAccountId, "ids"))).prepare(),
  }));
}

function loadBatch(ctx: Context, rows: StatusRow[], viewerId: string | null, options: RenderOptions): Batch {
  const q = batchQueries(ctx);
  const all = new Map(rows.map((s) => [s.id, s]));
  // Boosted originals, then quoted statuses (one level deep).
  for (const pass of ["reblogOfId", "quoteOfId"] as const) {
    const missing = [...all.values()].map((s) => s[pass]).filter((id): id is string => !!id && !all.has(id));
    if (missing.length) for (const s of q.statuses.all({ ids: idList(missing) })) all.set(s.id, s);
  }
  const ids = idList(all.keys());
  const mentionRows = q.mentions.all({ ids });
  const accountMap = findAccounts(ctx.storage, [...[...all.values()].map((s) => s.accountId), ...mentionRows.map((m) => m.accountId)]);
  const pollRows = q.polls.all({ ids });
  const appIds = [...all.values()].map((s) => s.applicationId).filter((a): a is string => !!a);
  const apps = appIds.length ? q.apps.all({ ids: idList(appIds) }) : [];
  const viewer = viewerId ? toStoredId(viewerId) : undefined;
  const mine = (query: { all(p: { viewer: string; ids: string }): { id: string | null }[] }, list = ids) =>
    viewer ? new Set(query.all({ viewer, ids: list }).map((r) => r.id!)) : new Set<string>();
  const votes = viewer && pollRows.length ? q.votes.all({ viewer, ids: idList(pollRows.map((p) => p.id)) }) : [];
  const conversations = [...all.values()].map((s) => s.conversationId).filter((c): c is string => !!c);

  return {
    filters: viewerId && options.filterContext ? loadFilters(ctx.storage, viewerId, options.filterContext) : [],
    renderedAccounts: new Map(),
    accounts: accountMap,
    statuses: all,
    media: group(q.media.all({ ids }), (m) => m.statusId!),
    mentions: new Map([...group(mentionRows, (m) => m.statusId)].map(([k, v]) => [k, v.flatMap((m) => (accountMap.has(m.accountId) ? [accountMap.get(m.accountId)!] : []))])),
    tags: group(q.tags.all({ ids }), (t) => t.statusId),
    polls: new Map(pollRows.map((p) => [p.statusId, p])),
    ownVotes: new Map([...group(votes, (v) => v.pollId)].map(([k, v]) => [k, v.map((x) => x.choice)])),
    apps: new Map(apps.map((a) => [a.id, a])),
    favourited: mine(q.favourited),
    bookmarked: mine(q.bookmarked),
    pinned: mine(q.pinned),
    reblogged: mine(q.reblogged),
    mutedConversations: conversations.length ? mine(q.mutedConversations, idList(conversations)) : new Set(),
    viewerFollows: mine(q.follows, idList([...all.values()].map((s) => s.accountId))),
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
    account: batch.renderedAccounts.get(account.id) ?? batch.renderedAccounts.set(account.id, renderAccount(ctx.config, account)).get(account.id),
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
