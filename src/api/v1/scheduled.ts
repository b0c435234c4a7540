// methods/scheduled_statuses.md and methods/polls.md
import { Elysia, t } from "elysia";
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { mediaAttachments, pollVotes, scheduledStatuses } from "../../db/schema.ts";
import { ValidationError } from "../../domain/errors.ts";
import { findPollForViewer, voteInPoll } from "../../domain/statuses/polls.ts";
import { cancelScheduledStatus, getScheduledStatus, rescheduleStatus, type ScheduledParams, type ScheduledRow } from "../../domain/statuses/scheduled.ts";
import { publicOrScoped, requireUser } from "../auth.ts";
import { renderMediaAttachment } from "../entities/media.ts";
import { renderPoll } from "../entities/poll.ts";
import { pageConditions, pageOrder, pagedResponse, pageQuery, pageRows, readPage } from "../pagination.ts";
import { integer, list } from "../params.ts";

export function renderScheduledStatus(ctx: Context, row: ScheduledRow) {
  const params = JSON.parse(row.params) as ScheduledParams;
  const media = params.media_ids?.length ? ctx.storage.db.select().from(mediaAttachments).where(inArray(mediaAttachments.id, params.media_ids)).all() : [];
  return {
    id: row.id,
    scheduled_at: new Date(row.scheduledAt).toISOString(),
    params: {
      ...params,
      application_id: row.applicationId ? Number(row.applicationId) : null,
      scheduled_at: null,
      idempotency: null,
      with_rate_limit: false,
    },
    media_attachments: media.map((m) => renderMediaAttachment(ctx.config, m)),
  };
}

export function parseScheduledAt(value: string): number {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) throw new ValidationError("Validation failed: Scheduled at is not a valid ISO 8601 datetime");
  return ms;
}

export function scheduledRoutes(ctx: Context) {
  const { db } = ctx.storage;
  return new Elysia()
    .get(
      "/api/v1/scheduled_statuses",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:statuses"]);
        const page = readPage(query, 20, 40);
        const rows = pageRows(db.select().from(scheduledStatuses).where(and(eq(scheduledStatuses.accountId, viewer.accountId), ...pageConditions(scheduledStatuses.id, page))).orderBy(pageOrder(scheduledStatuses.id, page)).limit(page.limit).all(), page);
        return pagedResponse(ctx.config.publicUrl, request, rows.map((r) => renderScheduledStatus(ctx, r)), rows.map((r) => r.id));
      },
      { query: t.Object(pageQuery) },
    )
    .get("/api/v1/scheduled_statuses/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["read:statuses"]);
      return renderScheduledStatus(ctx, getScheduledStatus(ctx, viewer.accountId, params.id));
    })
    .put(
      "/api/v1/scheduled_statuses/:id",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, ["write:statuses"]);
        if (!body?.scheduled_at) return renderScheduledStatus(ctx, getScheduledStatus(ctx, viewer.accountId, params.id));
        return renderScheduledStatus(ctx, rescheduleStatus(ctx, viewer.accountId, params.id, parseScheduledAt(body.scheduled_at)));
      },
      { body: t.Optional(t.Object({ scheduled_at: t.Optional(t.String()) })) },
    )
    .delete("/api/v1/scheduled_statuses/:id", ({ request, params }) => {
      const viewer = requireUser(ctx, request, ["write:statuses"]);
      cancelScheduledStatus(ctx, viewer.accountId, params.id);
      return {};
    })
    .get("/api/v1/polls/:id", ({ request, params }) => {
      const viewer = publicOrScoped(ctx, request, ["read:statuses"]);
      const viewerId = viewer?.accountId ?? null;
      const { poll, status } = findPollForViewer(ctx, params.id, viewerId);
      const votes = viewerId ? db.select({ choice: pollVotes.choice }).from(pollVotes).where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.accountId, viewerId))).all().map((v) => v.choice) : null;
      return renderPoll(poll, votes, status.accountId === viewerId);
    })
    .post(
      "/api/v1/polls/:id/votes",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, ["write:statuses"]);
        const { poll, status } = voteInPoll(ctx, viewer.accountId, params.id, body.choices);
        const votes = db.select({ choice: pollVotes.choice }).from(pollVotes).where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.accountId, viewer.accountId))).all().map((v) => v.choice);
        return renderPoll(poll, votes, status.accountId === viewer.accountId);
      },
      { body: t.Object({ choices: list(integer({ minimum: 0 })) }) },
    );
}
