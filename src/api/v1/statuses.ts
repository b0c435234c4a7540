// methods/statuses.md, methods/media.md, and an account's statuses (methods/accounts.md#statuses).
import { Elysia, t } from "elysia";
import { and, asc, desc, eq, exists, isNull, or, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { readKv, writeKv } from "../../db/kv.ts";
import { favourites, mediaAttachments, polls, statusEdits, statuses, statusPins, statusTags, tags } from "../../db/schema.ts";
import { getAccount } from "../../domain/accounts/queries.ts";
import { NotFoundError, ValidationError } from "../../domain/errors.ts";
import { getOwnMedia, updateMedia, uploadMedia } from "../../domain/media/upload.ts";
import {
  bookmarkStatus,
  favouriteStatus,
  muteConversation,
  pinStatus,
  reblogStatus,
  unbookmarkStatus,
  unfavouriteStatus,
  unpinStatus,
  unreblogStatus,
} from "../../domain/statuses/interactions.ts";
import { createStatus, deleteStatus, editStatus, type PollInput } from "../../domain/statuses/posting.ts";
import { scheduleStatus } from "../../domain/statuses/scheduled.ts";
import { parseScheduledAt, renderScheduledStatus } from "./scheduled.ts";
import { findVisibleStatus, findVisibleStatuses, getVisibleStatus, visibleTo, type StatusRow } from "../../domain/statuses/queries.ts";
import { compareIds, fromStoredId, toStoredId } from "../../db/ids.ts";
import { hashSecret } from "../../oauth/secrets.ts";
import { publicOrScoped, requireUser } from "../auth.ts";
import { renderAccount } from "../entities/account.ts";
import { renderMediaAttachment } from "../entities/media.ts";
import { renderStatus, renderStatuses } from "../entities/status.ts";
import { accountPage, statusPage } from "../pages.ts";
import { pageQuery, type readPage } from "../pagination.ts";
import { flag, integer, list } from "../params.ts";

const READ = ["read:statuses"];
const WRITE = ["write:statuses"];

const pollSchema = t.Object({
  options: list(t.String({ maxLength: 1000 })),
  expires_in: integer({ minimum: 0 }),
  multiple: t.Optional(flag()),
  hide_totals: t.Optional(flag()),
});

const toPoll = (p?: { options: string[]; expires_in: number; multiple?: boolean; hide_totals?: boolean }): PollInput | undefined =>
  p ? { options: p.options, expiresIn: p.expires_in, multiple: p.multiple, hideTotals: p.hide_totals } : undefined;

const IDEMPOTENCY_MS = 3600_000;

export function statusesRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const render = (row: StatusRow, viewerId: string | null) => renderStatus(ctx, row, viewerId);

  /** Accounts related to a status through a table (favourited_by, reblogged_by), paged by that table's ids. */
  const statusAccounts = (request: Request, statusId: string, query: Parameters<typeof readPage>[0], kind: "favourites" | "reblogs") => {
    const viewer = publicOrScoped(ctx, request, ["read:accounts"]);
    const status = getVisibleStatus(ctx.storage, statusId, viewer?.accountId ?? null);
    return kind === "favourites"
      ? accountPage(ctx, request, query, favourites, eq(favourites.statusId, status.id), { accountColumn: "accountId" })
      : accountPage(ctx, request, query, statuses, eq(statuses.reblogOfId, status.id), { accountColumn: "accountId" });
  };

  const uploadBody = t.Object({ file: t.Optional(t.Any()), thumbnail: t.Optional(t.Any()), description: t.Optional(t.String()), focus: t.Optional(t.String()) });
  const upload = async (request: Request, body: { file?: unknown; description?: string; focus?: string }) => {
    const viewer = requireUser(ctx, request, ["write:media"]);
    if (!(body.file instanceof File)) throw new ValidationError("Validation failed: File can't be blank");
    const row = await uploadMedia(ctx, viewer.accountId, { file: body.file, description: body.description, focus: body.focus });
    return renderMediaAttachment(ctx.config, row);
  };

  return new Elysia()
    .post(
      "/api/v1/statuses",
      async ({ request, body }) => {
        const viewer = requireUser(ctx, request, WRITE);
        const key = request.headers.get("idempotency-key");
        const kvKey = key ? `idempotency:${viewer.token.id}:${hashSecret(key)}` : undefined;
        if (kvKey) {
          const earlier = readKv<string>(ctx.storage, kvKey);
          const row = earlier ? findVisibleStatus(ctx.storage, earlier, viewer.accountId) : undefined;
          if (row) return render(row, viewer.accountId);
        }
        const input = {
          text: body.status,
          spoilerText: body.spoiler_text,
          sensitive: body.sensitive,
          visibility: body.visibility,
          language: body.language,
          inReplyToId: body.in_reply_to_id || undefined,
          mediaIds: body.media_ids,
          poll: toPoll(body.poll),
          applicationId: viewer.app.id,
          quotedStatusId: body.quoted_status_id || undefined,
          quoteApprovalPolicy: body.quote_approval_policy,
        };
        if (body.scheduled_at) {
          return renderScheduledStatus(ctx, scheduleStatus(ctx, viewer.accountId, input, parseScheduledAt(body.scheduled_at)));
        }
        const row = await createStatus(ctx, viewer.accountId, input);
        if (kvKey) writeKv(ctx.storage, kvKey, row.id, Date.now() + IDEMPOTENCY_MS);
        return render(row, viewer.accountId);
      },
      {
        body: t.Object({
          status: t.Optional(t.String()),
          media_ids: t.Optional(list(t.String({ pattern: "^\\d{1,19}$" }))),
          poll: t.Optional(pollSchema),
          in_reply_to_id: t.Optional(t.String()),
          sensitive: t.Optional(flag()),
          spoiler_text: t.Optional(t.String()),
          visibility: t.Optional(t.String()),
          language: t.Optional(t.String()),
          scheduled_at: t.Optional(t.String()),
          quoted_status_id: t.Optional(t.String()),
          quote_approval_policy: t.Optional(t.String()),
        }),
      },
    )
    .get(
      "/api/v1/statuses",
      ({ request, query }) => {
        const viewer = publicOrScoped(ctx, request, READ);
        const ids = (query.id ?? []).slice(0, 100);
        const rows = new Map(findVisibleStatuses(ctx.storage, ids, viewer?.accountId ?? null).map((s) => [s.id, s]));
        return renderStatuses(ctx, ids.flatMap((id) => (rows.has(id) ? [rows.get(id)!] : [])), viewer?.accountId ?? null);
      },
      { query: t.Object({ id: t.Optional(list(t.String())) }) },
    )
    .get("/api/v1/statuses/:id", ({ request, params }) => {
      const viewer = publicOrScoped(ctx, request, READ);
      return render(getVisibleStatus(ctx.storage, params.id, viewer?.accountId ?? null), viewer?.accountId ?? null);
    })
    .delete("/api/v1/statuses/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, WRITE);
      const visible = getVisibleStatus(ctx.storage, params.id, viewer.accountId);
      // Rendered before deletion, with the source text: clients offer "delete & redraft".
      const rendered = { ...render(visible, viewer.accountId), text: visible.text };
      deleteStatus(ctx, viewer.accountId, visible.id);
      return rendered;
    })
    .put(
      "/api/v1/statuses/:id",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, WRITE);
        getVisibleStatus(ctx.storage, params.id, viewer.accountId);
        const row = editStatus(ctx, viewer.accountId, params.id, {
          text: body.status,
          spoilerText: body.spoiler_text,
          sensitive: body.sensitive,
          language: body.language,
          mediaIds: body.media_ids,
          mediaAttributes: body.media_attributes,
          poll: toPoll(body.poll),
        });
        return render(row, viewer.accountId);
      },
      {
        body: t.Object({
          status: t.Optional(t.String()),
          spoiler_text: t.Optional(t.String()),
          sensitive: t.Optional(flag()),
          language: t.Optional(t.String()),
          media_ids: t.Optional(list(t.String({ pattern: "^\\d{1,19}$" }))),
          media_attributes: t.Optional(list(t.Object({ id: t.String(), description: t.Optional(t.String()), focus: t.Optional(t.String()) }))),
          poll: t.Optional(pollSchema),
        }),
      },
    )
    .get("/api/v1/statuses/:id/history", ({ request, params }) => {
      const viewer = publicOrScoped(ctx, request, READ);
      const status = getVisibleStatus(ctx.storage, params.id, viewer?.accountId ?? null);
      const account = renderAccount(ctx.config, getAccount(ctx.storage, status.accountId));
      const edits = db.select().from(statusEdits).where(eq(statusEdits.statusId, status.id)).orderBy(asc(statusEdits.id)).all();
      const media = new Map(db.select().from(mediaAttachments).where(eq(mediaAttachments.accountId, status.accountId)).all().map((m) => [m.id, m]));
      const version = (e: { content: string; spoilerText: string; sensitive: boolean; createdAt: number; media: string; pollOptions: string | null }) => ({
        content: e.content,
        spoiler_text: e.spoilerText,
        sensitive: e.sensitive,
        created_at: new Date(e.createdAt).toISOString(),
        account,
        poll: e.pollOptions ? { options: (JSON.parse(e.pollOptions) as string[]).map((title) => ({ title })) } : null,
        media_attachments: (JSON.parse(e.media) as { id: string; description: string | null }[]).flatMap((m) =>
          media.has(m.id) ? [{ ...renderMediaAttachment(ctx.config, media.get(m.id)!), description: m.description }] : [],
        ),
        emojis: [],
      });
      if (!edits.length) {
        const poll = db.select().from(polls).where(eq(polls.statusId, status.id)).get();
        const attached = db.select().from(mediaAttachments).where(eq(mediaAttachments.statusId, status.id)).orderBy(mediaAttachments.position).all();
        return [
          version({
            ...status,
            media: JSON.stringify(attached.map((m) => ({ id: m.id, description: m.description }))),
            pollOptions: poll ? JSON.stringify((JSON.parse(poll.options) as { title: string }[]).map((o) => o.title)) : null,
          }),
        ];
      }
      return edits.map(version);
    })
    .get("/api/v1/statuses/:id/source", ({ request, params }) => {
      const viewer = requireUser(ctx, request, READ);
      const status = getVisibleStatus(ctx.storage, params.id, viewer.accountId);
      if (status.accountId !== viewer.accountId) throw new NotFoundError();
      return { id: status.id, text: status.text, spoiler_text: status.spoilerText };
    })
    .get("/api/v1/statuses/:id/context", ({ request, params }) => {
      const viewer = publicOrScoped(ctx, request, READ);
      const viewerId = viewer?.accountId ?? null;
      const status = getVisibleStatus(ctx.storage, params.id, viewerId);
      // Ancestors: up the reply chain. Descendants: the whole subtree, in thread (depth-first) order.
      const ancestors: StatusRow[] = [];
      for (let parentId = status.inReplyToId; parentId && ancestors.length < 40; ) {
        const parent = findVisibleStatus(ctx.storage, parentId, viewerId);
        if (!parent) break;
        ancestors.unshift(parent);
        parentId = parent.inReplyToId;
      }
      const tree = ctx.storage.sqlite
        .query(
          `WITH RECURSIVE sub(id, parent) AS (SELECT id, in_reply_to_id FROM statuses WHERE in_reply_to_id = ?1
             UNION SELECT s.id, s.in_reply_to_id FROM statuses s JOIN sub ON s.in_reply_to_id = sub.id)
           SELECT id, parent FROM sub LIMIT 4096`,
        )
        .all(toStoredId(status.id)) as { id: string; parent: string }[];
      const visible = new Map(findVisibleStatuses(ctx.storage, tree.map((r) => fromStoredId(r.id)), viewerId).map((s) => [s.id, s]));
      const children = new Map<string, string[]>();
      for (const r of tree) {
        const id = fromStoredId(r.id);
        const parent = fromStoredId(r.parent);
        if (!children.has(parent)) children.set(parent, []);
        children.get(parent)!.push(id);
      }
      const descendants: StatusRow[] = [];
      const walk = (id: string) => {
        for (const child of (children.get(id) ?? []).sort(compareIds)) {
          const row = visible.get(child);
          if (!row) continue; // an invisible reply hides its subtree, as in Mastodon
          descendants.push(row);
          walk(child);
        }
      };
      walk(status.id);
      return { ancestors: renderStatuses(ctx, ancestors, viewerId, { filterContext: "thread" }), descendants: renderStatuses(ctx, descendants, viewerId, { filterContext: "thread" }) };
    })
    .post("/api/v1/statuses/:id/favourite", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:favourites"]);
      return render(favouriteStatus(ctx, viewer.accountId, params.id), viewer.accountId);
    })
    .post("/api/v1/statuses/:id/unfavourite", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:favourites"]);
      return render(unfavouriteStatus(ctx, viewer.accountId, params.id), viewer.accountId);
    })
    .post(
      "/api/v1/statuses/:id/reblog",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, WRITE);
        return render(reblogStatus(ctx, viewer.accountId, params.id, body?.visibility ?? "public"), viewer.accountId);
      },
      { body: t.Optional(t.Object({ visibility: t.Optional(t.String()) })) },
    )
    .post("/api/v1/statuses/:id/unreblog", ({ request, params }) => {
      const viewer = requireUser(ctx, request, WRITE);
      return render(unreblogStatus(ctx, viewer.accountId, params.id), viewer.accountId);
    })
    .post("/api/v1/statuses/:id/bookmark", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:bookmarks"]);
      return render(bookmarkStatus(ctx, viewer.accountId, params.id), viewer.accountId);
    })
    .post("/api/v1/statuses/:id/unbookmark", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:bookmarks"]);
      return render(unbookmarkStatus(ctx, viewer.accountId, params.id), viewer.accountId);
    })
    .post("/api/v1/statuses/:id/pin", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:accounts"]);
      return render(pinStatus(ctx, viewer.accountId, params.id), viewer.accountId);
    })
    .post("/api/v1/statuses/:id/unpin", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:accounts"]);
      return render(unpinStatus(ctx, viewer.accountId, params.id), viewer.accountId);
    })
    .post("/api/v1/statuses/:id/mute", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:mutes"]);
      return render(muteConversation(ctx, viewer.accountId, params.id, true), viewer.accountId);
    })
    .post("/api/v1/statuses/:id/unmute", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:mutes"]);
      return render(muteConversation(ctx, viewer.accountId, params.id, false), viewer.accountId);
    })
    .get("/api/v1/statuses/:id/favourited_by", ({ request, params, query }) => statusAccounts(request, params.id, query, "favourites"), { query: t.Object(pageQuery) })
    .get("/api/v1/statuses/:id/reblogged_by", ({ request, params, query }) => statusAccounts(request, params.id, query, "reblogs"), { query: t.Object(pageQuery) })
    .get("/api/v1/statuses/:id/card", ({ request, params }) => {
      const viewer = publicOrScoped(ctx, request, READ);
      getVisibleStatus(ctx.storage, params.id, viewer?.accountId ?? null);
      return new Response("null", { headers: { "content-type": "application/json; charset=utf-8" } });
    })
    .get(
      "/api/v1/accounts/:id/statuses",
      ({ request, params, query }) => {
        const viewer = publicOrScoped(ctx, request, READ);
        const viewerId = viewer?.accountId ?? null;
        const account = getAccount(ctx.storage, params.id);
        if (query.pinned) {
          const pins = db.select({ statusId: statusPins.statusId }).from(statusPins).where(eq(statusPins.accountId, account.id)).orderBy(desc(statusPins.id)).all();
          const rows = new Map(findVisibleStatuses(ctx.storage, pins.map((p) => p.statusId), viewerId).map((s) => [s.id, s]));
          return renderStatuses(ctx, pins.flatMap((p) => (rows.has(p.statusId) ? [rows.get(p.statusId)!] : [])), viewerId);
        }
        const conditions = [eq(statuses.accountId, account.id), visibleTo(viewerId)];
        // Replies to others are excluded; a thread of one's own posts is not.
        if (query.exclude_replies) conditions.push(or(isNull(statuses.inReplyToId), eq(statuses.inReplyToAccountId, account.id))!);
        if (query.exclude_reblogs) conditions.push(isNull(statuses.reblogOfId));
        if (query.only_media) conditions.push(exists(db.select({ one: sql`1` }).from(mediaAttachments).where(eq(mediaAttachments.statusId, statuses.id))));
        if (query.tagged) {
          conditions.push(
            exists(
              db.select({ one: sql`1` }).from(statusTags).innerJoin(tags, eq(statusTags.tagId, tags.id)).where(and(eq(statusTags.statusId, statuses.id), eq(tags.name, query.tagged.toLowerCase().replace(/^#/, "")))),
            ),
          );
        }
        return statusPage(ctx, request, query, conditions, viewerId, "account");
      },
      {
        query: t.Object({
          ...pageQuery,
          only_media: t.Optional(flag()),
          exclude_replies: t.Optional(flag()),
          exclude_reblogs: t.Optional(flag()),
          pinned: t.Optional(flag()),
          tagged: t.Optional(t.String({ maxLength: 200 })),
        }),
      },
    )
    // v1 is the older, synchronous twin of v2; images are processed at once either way.
    .post("/api/v2/media", ({ request, body }) => upload(request, body), { body: uploadBody })
    .post("/api/v1/media", ({ request, body }) => upload(request, body), { body: uploadBody })
    .get("/api/v1/media/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:media"]);
      return renderMediaAttachment(ctx.config, getOwnMedia(ctx, viewer.accountId, params.id));
    })
    .put(
      "/api/v1/media/:id",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, ["write:media"]);
        return renderMediaAttachment(ctx.config, updateMedia(ctx, viewer.accountId, params.id, { description: body?.description, focus: body?.focus }));
      },
      { body: t.Optional(t.Object({ description: t.Optional(t.String()), focus: t.Optional(t.String()), thumbnail: t.Optional(t.Any()) })) },
    )
    .delete("/api/v1/media/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:media"]);
      const row = getOwnMedia(ctx, viewer.accountId, params.id);
      if (row.statusId) throw new ValidationError("Media attachment is currently used by a status");
      db.delete(mediaAttachments).where(eq(mediaAttachments.id, row.id)).run();
      return {};
    });
}

