// Posting, editing and deleting the owner's statuses. Each is one transaction, then events.
// (Delivery to followers' servers is added with federation.)
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import type { Storage } from "../../db/client.ts";
import { newId } from "../../db/ids.ts";
import { accounts, mediaAttachments, mentions, polls, scheduledStatuses, statusEdits, statuses, statusTags, tags, users } from "../../db/schema.ts";
import { countCharacters, formatText } from "../../text/format.ts";
import { mentionResolver } from "../accounts/mentions.ts";
import { VISIBILITIES, type Visibility } from "../accounts/profile.ts";
import { getAccount } from "../accounts/queries.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { addToHomeFeeds } from "../timelines/home-feed.ts";
import { schedulePollExpiry } from "./polls.ts";
import { findVisibleStatus, type StatusRow } from "./queries.ts";

type Tx = Parameters<Parameters<Storage["db"]["transaction"]>[0]>[0];

export const MAX_MEDIA = 4;
export const POLL_LIMITS = { maxOptions: 4, maxOptionChars: 50, minExpiration: 300, maxExpiration: 2629746 };

export interface PollInput {
  options: string[];
  expiresIn: number;
  multiple?: boolean;
  hideTotals?: boolean;
}

export interface StatusInput {
  text?: string;
  spoilerText?: string;
  sensitive?: boolean;
  visibility?: string;
  language?: string;
  inReplyToId?: string;
  mediaIds?: string[];
  poll?: PollInput;
  applicationId?: string | null;
  quotedStatusId?: string;
  quoteApprovalPolicy?: string;
  /** Publishing a scheduled status: its row is removed in the same transaction, so it posts once. */
  scheduledStatusId?: string;
}

export class AlreadyPublishedError extends Error {
  override name = "AlreadyPublishedError";
}

const QUOTE_POLICIES = ["public", "followers", "nobody"];

function validatePoll(poll: PollInput): void {
  if (poll.options.length < 2) throw new ValidationError("Validation failed: Poll must have at least 2 options");
  if (poll.options.length > POLL_LIMITS.maxOptions) throw new ValidationError(`Validation failed: Poll must have at most ${POLL_LIMITS.maxOptions} options`);
  if (poll.options.some((o) => !o.trim())) throw new ValidationError("Validation failed: Poll options can't be blank");
  if (poll.options.some((o) => [...o].length > POLL_LIMITS.maxOptionChars)) throw new ValidationError(`Validation failed: Poll options must be at most ${POLL_LIMITS.maxOptionChars} characters`);
  if (new Set(poll.options.map((o) => o.trim())).size !== poll.options.length) throw new ValidationError("Validation failed: Poll options must be unique");
  if (!(poll.expiresIn >= POLL_LIMITS.minExpiration && poll.expiresIn <= POLL_LIMITS.maxExpiration)) {
    throw new ValidationError("Validation failed: Poll expiration is out of range");
  }
}

/** A new poll's row: every option at zero votes, ending `expiresIn` seconds from `now`. */
function pollRow(id: string, statusId: string, poll: PollInput, now: number): typeof polls.$inferInsert {
  return {
    id,
    statusId,
    options: JSON.stringify(poll.options.map((title) => ({ title: title.trim(), votes_count: 0 }))),
    multiple: poll.multiple ?? false,
    hideTotals: poll.hideTotals ?? false,
    expiresAt: now + poll.expiresIn * 1000,
    createdAt: now,
  };
}

function validateLanguage(language: string | undefined): string | undefined {
  if (language === undefined || language === "") return undefined;
  if (!/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(language)) throw new ValidationError("Validation failed: Language is not a valid ISO 639 code");
  return language;
}

/** Formats text and checks the character limit (text and content warning count together, as in Mastodon). */
function prepareText(ctx: Context, text: string, spoilerText: string) {
  const limit = ctx.config.limits.statusCharacters;
  if (countCharacters(text) + countCharacters(spoilerText) > limit) throw new ValidationError(`Validation failed: Text character limit of ${limit} exceeded`);
  return formatText(text, { baseUrl: ctx.config.publicUrl.origin, resolveMention: mentionResolver(ctx) });
}

/** The owner's own unattached media, in the order given. */
function loadMediaForStatus(storage: Storage, ownerId: string, ids: string[], statusId?: string) {
  if (ids.length > MAX_MEDIA) throw new ValidationError(`Validation failed: You can attach at most ${MAX_MEDIA} files`);
  if (!ids.length) return [];
  const rows = storage.db.select().from(mediaAttachments).where(and(inArray(mediaAttachments.id, ids), eq(mediaAttachments.accountId, ownerId))).all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row || (row.statusId !== null && row.statusId !== statusId)) throw new ValidationError("Validation failed: Media attachments could not be found or are already attached");
    return row;
  });
}

function upsertTags(tx: Tx, names: { lower: string; display: string }[]): string[] {
  const ids: string[] = [];
  for (const { lower, display } of names) {
    tx.insert(tags).values({ id: newId(), name: lower, displayName: display, createdAt: Date.now() }).onConflictDoNothing().run();
    ids.push(tx.select({ id: tags.id }).from(tags).where(eq(tags.name, lower)).get()!.id);
  }
  return ids;
}

function tagNames(text: string, lowered: string[]): { lower: string; display: string }[] {
  return lowered.map((lower) => {
    const written = new RegExp(`#(${lower.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})(?![\\p{L}\\p{N}_])`, "iu").exec(text)?.[1] ?? lower;
    return { lower, display: written };
  });
}

/** Checks a new status as Mastodon does and prepares what the insert needs. Used for posting and scheduling. */
export function checkStatusInput(ctx: Context, ownerId: string, input: StatusInput) {
  const owner = getAccount(ctx.storage, ownerId);
  const user = ctx.storage.db.select().from(users).where(eq(users.accountId, ownerId)).get();
  if (!user) throw new ForbiddenError("This action is not allowed");
  const text = input.text ?? "";
  const spoilerText = input.spoilerText ?? "";
  const mediaIds = input.mediaIds ?? [];
  if (!text.trim() && mediaIds.length === 0) throw new ValidationError("Validation failed: Text can't be blank");
  if (input.poll && mediaIds.length) throw new ValidationError("Validation failed: Cannot attach both media and a poll");
  if (input.poll) validatePoll(input.poll);
  const visibility = (input.visibility ?? user.defaultPrivacy) as Visibility;
  if (!VISIBILITIES.includes(visibility)) throw new ValidationError("Validation failed: Visibility is not included in the list");
  const language = validateLanguage(input.language) ?? user.defaultLanguage ?? null;
  const quotePolicy = input.quoteApprovalPolicy ?? "public";
  if (!QUOTE_POLICIES.includes(quotePolicy)) throw new ValidationError("Validation failed: Quote approval policy is not included in the list");

  const parent = input.inReplyToId ? findVisibleStatus(ctx.storage, input.inReplyToId, ownerId) : undefined;
  if (input.inReplyToId && !parent) throw new NotFoundError();
  const quoted = input.quotedStatusId ? findVisibleStatus(ctx.storage, input.quotedStatusId, ownerId) : undefined;
  if (input.quotedStatusId && !quoted) throw new NotFoundError();
  if (quoted && (quoted.visibility === "private" || quoted.visibility === "direct") && quoted.accountId !== ownerId) {
    throw new ValidationError("Validation failed: Quoted status cannot be quoted");
  }
  const formatted = prepareText(ctx, text, spoilerText);
  const media = loadMediaForStatus(ctx.storage, ownerId, mediaIds);
  return { owner, user, text, spoilerText, visibility, language, quotePolicy, parent, quoted, formatted, media };
}

export async function createStatus(ctx: Context, ownerId: string, input: StatusInput): Promise<StatusRow> {
  const { owner, user, text, spoilerText, visibility, language, quotePolicy, parent, quoted, formatted, media } = checkStatusInput(ctx, ownerId, input);
  const now = Date.now();
  const id = newId(now);
  const base = ctx.config.publicUrl.origin;

  let pollId: string | undefined;
  const row = ctx.storage.db.transaction((tx) => {
    if (input.scheduledStatusId) {
      const claimed = tx.delete(scheduledStatuses).where(eq(scheduledStatuses.id, input.scheduledStatusId)).returning({ id: scheduledStatuses.id }).all();
      if (!claimed.length) throw new AlreadyPublishedError(`scheduled status ${input.scheduledStatusId} is gone`);
    }
    const status = tx
      .insert(statuses)
      .values({
        id,
        uri: `${base}/users/${owner.username}/statuses/${id}`,
        url: `${base}/@${owner.username}/${id}`,
        accountId: ownerId,
        inReplyToId: parent?.id ?? null,
        inReplyToAccountId: parent?.accountId ?? null,
        text,
        content: formatted.html,
        spoilerText,
        sensitive: (input.sensitive ?? user.defaultSensitive) || (spoilerText.length > 0 && media.length > 0),
        visibility,
        language,
        local: true,
        applicationId: input.applicationId ?? null,
        conversationId: parent ? (parent.conversationId ?? parent.id) : id,
        quoteOfId: quoted?.id ?? null,
        quoteApprovalPolicy: quotePolicy,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    const mentioned = formatted.mentions as { account?: { id: string } }[];
    for (const m of mentioned) if (m.account) tx.insert(mentions).values({ id: newId(), statusId: id, accountId: m.account.id }).onConflictDoNothing().run();
    for (const tagId of upsertTags(tx, tagNames(text, formatted.tags))) tx.insert(statusTags).values({ statusId: id, tagId }).onConflictDoNothing().run();
    media.forEach((m, position) => tx.update(mediaAttachments).set({ statusId: id, position }).where(eq(mediaAttachments.id, m.id)).run());
    if (input.poll) {
      pollId = newId(now);
      tx.insert(polls).values(pollRow(pollId, id, input.poll, now)).run();
    }
    tx.update(accounts).set({ statusesCount: sql`${accounts.statusesCount} + 1`, lastStatusAt: now }).where(eq(accounts.id, ownerId)).run();
    if (parent) tx.update(statuses).set({ repliesCount: sql`${statuses.repliesCount} + 1` }).where(eq(statuses.id, parent.id)).run();
    return status;
  }, { behavior: "immediate" });

  if (pollId && input.poll) schedulePollExpiry(ctx, pollId, now + input.poll.expiresIn * 1000);
  addToHomeFeeds(ctx, row);
  ctx.events.publish("status.created", { statusId: row.id, accountId: ownerId });
  return row;
}

export interface StatusEditInput {
  text?: string;
  spoilerText?: string;
  sensitive?: boolean;
  language?: string;
  mediaIds?: string[];
  mediaAttributes?: { id: string; description?: string; focus?: string }[];
  poll?: PollInput;
}

/** Edits keep history: the first edit also records the original as a StatusEdit. */
export function editStatus(ctx: Context, ownerId: string, statusId: string, input: StatusEditInput): StatusRow {
  const current = ctx.storage.db.select().from(statuses).where(and(eq(statuses.id, statusId), isNull(statuses.reblogOfId))).get();
  if (!current) throw new NotFoundError();
  if (current.accountId !== ownerId) throw new ForbiddenError("This action is not allowed");
  const text = input.text ?? current.text;
  const spoilerText = input.spoilerText ?? current.spoilerText;
  const currentMedia = ctx.storage.db.select().from(mediaAttachments).where(eq(mediaAttachments.statusId, statusId)).orderBy(mediaAttachments.position).all();
  const mediaIds = input.mediaIds ?? currentMedia.map((m) => m.id);
  if (!text.trim() && mediaIds.length === 0) throw new ValidationError("Validation failed: Text can't be blank");
  const currentPoll = ctx.storage.db.select().from(polls).where(eq(polls.statusId, statusId)).get();
  if ((input.poll || currentPoll) && mediaIds.length) throw new ValidationError("Validation failed: Cannot attach both media and a poll");
  if (input.poll) validatePoll(input.poll);
  const language = input.language === undefined ? current.language : (validateLanguage(input.language) ?? null);
  const formatted = prepareText(ctx, text, spoilerText);
  const media = loadMediaForStatus(ctx.storage, ownerId, mediaIds, statusId);
  const now = Date.now();

  const snapshot = (s: { text: string; content: string; spoilerText: string; sensitive: boolean }, mediaRows: typeof currentMedia, pollOptions: string[] | null, at: number) => ({
    id: newId(at),
    statusId,
    accountId: ownerId,
    text: s.text,
    content: s.content,
    spoilerText: s.spoilerText,
    sensitive: s.sensitive,
    media: JSON.stringify(mediaRows.map((m) => ({ id: m.id, description: m.description }))),
    pollOptions: pollOptions ? JSON.stringify(pollOptions) : null,
    createdAt: at,
  });
  const editedPollId = newId(now);
  const pollTitles = (p: typeof currentPoll) => (p ? (JSON.parse(p.options) as { title: string }[]).map((o) => o.title) : null);

  const row = ctx.storage.db.transaction((tx) => {
    if (current.editedAt === null) tx.insert(statusEdits).values(snapshot(current, currentMedia, pollTitles(currentPoll), current.createdAt)).run();
    for (const attr of input.mediaAttributes ?? []) {
      if (!mediaIds.includes(attr.id)) continue;
      const set: { description?: string; focus?: string } = {};
      if (attr.description !== undefined) set.description = attr.description;
      if (attr.focus !== undefined) set.focus = attr.focus;
      if (Object.keys(set).length) tx.update(mediaAttachments).set(set).where(eq(mediaAttachments.id, attr.id)).run();
    }
    tx.update(mediaAttachments).set({ statusId: null }).where(and(eq(mediaAttachments.statusId, statusId), media.length ? sql`${mediaAttachments.id} NOT IN ${media.map((m) => m.id)}` : sql`1 = 1`)).run();
    media.forEach((m, position) => tx.update(mediaAttachments).set({ statusId, position }).where(eq(mediaAttachments.id, m.id)).run());
    if (input.poll) {
      // A changed poll starts over, as in Mastodon.
      tx.delete(polls).where(eq(polls.statusId, statusId)).run();
      tx.insert(polls).values(pollRow(editedPollId, statusId, input.poll, now)).run();
    }
    tx.delete(statusTags).where(eq(statusTags.statusId, statusId)).run();
    for (const tagId of upsertTags(tx, tagNames(text, formatted.tags))) tx.insert(statusTags).values({ statusId, tagId }).onConflictDoNothing().run();
    tx.delete(mentions).where(eq(mentions.statusId, statusId)).run();
    for (const m of formatted.mentions as { account?: { id: string } }[]) if (m.account) tx.insert(mentions).values({ id: newId(), statusId, accountId: m.account.id }).onConflictDoNothing().run();
    const updated = tx
      .update(statuses)
      .set({ text, content: formatted.html, spoilerText, sensitive: input.sensitive ?? current.sensitive, language, editedAt: now, updatedAt: now })
      .where(eq(statuses.id, statusId))
      .returning()
      .get();
    const newMedia = tx.select().from(mediaAttachments).where(eq(mediaAttachments.statusId, statusId)).orderBy(mediaAttachments.position).all();
    const newPoll = tx.select().from(polls).where(eq(polls.statusId, statusId)).get();
    tx.insert(statusEdits).values(snapshot(updated, newMedia, pollTitles(newPoll), now)).run();
    return updated;
  }, { behavior: "immediate" });

  if (input.poll) schedulePollExpiry(ctx, editedPollId, now + input.poll.expiresIn * 1000);
  ctx.events.publish("status.updated", { statusId, accountId: ownerId });
  return row;
}

/** Deletes a status (or a boost) and what hangs off it; returns the row for delete & redraft. */
export function deleteStatus(ctx: Context, ownerId: string, statusId: string): StatusRow {
  const status = ctx.storage.db.select().from(statuses).where(eq(statuses.id, statusId)).get();
  if (!status) throw new NotFoundError();
  if (status.accountId !== ownerId) throw new ForbiddenError("This action is not allowed");
  ctx.storage.db.transaction((tx) => {
    tx.delete(statuses).where(eq(statuses.id, statusId)).run();
    if (status.reblogOfId) {
      tx.update(statuses).set({ reblogsCount: sql`max(0, ${statuses.reblogsCount} - 1)` }).where(eq(statuses.id, status.reblogOfId)).run();
    } else {
      tx.update(accounts).set({ statusesCount: sql`max(0, ${accounts.statusesCount} - 1)` }).where(eq(accounts.id, ownerId)).run();
      if (status.inReplyToId) tx.update(statuses).set({ repliesCount: sql`max(0, ${statuses.repliesCount} - 1)` }).where(eq(statuses.id, status.inReplyToId)).run();
    }
  }, { behavior: "immediate" });
  ctx.events.publish("status.deleted", { statusId, accountId: ownerId });
  return status;
}
