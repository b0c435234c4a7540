// Scheduled statuses: kept as parameters until their time, then posted by a job, exactly once.
import { eq } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { newId } from "../../db/ids.ts";
import { scheduledStatuses } from "../../db/schema.ts";
import { defineJob } from "../../jobs/queue.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { AlreadyPublishedError, checkStatusInput, createStatus, type StatusInput } from "./posting.ts";

/** Mastodon refuses schedules less than five minutes ahead. */
export const MIN_SCHEDULE_AHEAD_MS = 5 * 60 * 1000;

export type ScheduledRow = typeof scheduledStatuses.$inferSelect;

/** The stored parameters, shaped as ScheduledStatus.params. */
export interface ScheduledParams {
  text: string;
  poll: { options: string[]; expires_in: string; multiple: boolean; hide_totals: boolean } | null;
  media_ids: string[] | null;
  sensitive: boolean | null;
  spoiler_text: string | null;
  visibility: string;
  in_reply_to_id: string | null;
  language: string | null;
  quoted_status_id: string | null;
  quote_approval_policy: string;
}

function checkTime(scheduledAt: number): void {
  if (!Number.isFinite(scheduledAt)) throw new ValidationError("Validation failed: Scheduled at is not a valid date");
  if (scheduledAt < Date.now() + MIN_SCHEDULE_AHEAD_MS) throw new ValidationError("Validation failed: Scheduled at The scheduled date must be in the future");
}

function enqueuePublish(ctx: Context, row: ScheduledRow): void {
  ctx.queue.enqueue("status.publish_scheduled", { scheduledStatusId: row.id }, { runAt: row.scheduledAt, dedupeKey: `scheduled:${row.id}:${row.scheduledAt}` });
}

export function scheduleStatus(ctx: Context, ownerId: string, input: StatusInput, scheduledAt: number): ScheduledRow {
  checkTime(scheduledAt);
  const checked = checkStatusInput(ctx, ownerId, input);
  const params: ScheduledParams = {
    text: checked.text,
    poll: input.poll ? { options: input.poll.options, expires_in: String(input.poll.expiresIn), multiple: input.poll.multiple ?? false, hide_totals: input.poll.hideTotals ?? false } : null,
    media_ids: input.mediaIds?.length ? input.mediaIds : null,
    sensitive: input.sensitive ?? null,
    spoiler_text: input.spoilerText ?? null,
    visibility: checked.visibility,
    in_reply_to_id: checked.parent?.id ?? null,
    language: checked.language,
    quoted_status_id: checked.quoted?.id ?? null,
    quote_approval_policy: checked.quotePolicy,
  };
  const row = ctx.storage.db
    .insert(scheduledStatuses)
    .values({ id: newId(), accountId: ownerId, scheduledAt, params: JSON.stringify(params), applicationId: input.applicationId ?? null, createdAt: Date.now() })
    .returning()
    .get();
  enqueuePublish(ctx, row);
  return row;
}

export function getScheduledStatus(ctx: Context, ownerId: string, id: string): ScheduledRow {
  const row = ctx.storage.db.select().from(scheduledStatuses).where(eq(scheduledStatuses.id, id)).get();
  if (!row) throw new NotFoundError();
  if (row.accountId !== ownerId) throw new ForbiddenError("This action is not allowed");
  return row;
}

export function rescheduleStatus(ctx: Context, ownerId: string, id: string, scheduledAt: number): ScheduledRow {
  getScheduledStatus(ctx, ownerId, id);
  checkTime(scheduledAt);
  const row = ctx.storage.db.update(scheduledStatuses).set({ scheduledAt }).where(eq(scheduledStatuses.id, id)).returning().get();
  // The job for the old time finds the new time and does nothing.
  enqueuePublish(ctx, row);
  return row;
}

export function cancelScheduledStatus(ctx: Context, ownerId: string, id: string): void {
  getScheduledStatus(ctx, ownerId, id);
  ctx.storage.db.delete(scheduledStatuses).where(eq(scheduledStatuses.id, id)).run();
}

export const scheduledStatusJob = (ctx: Context) =>
  defineJob<{ scheduledStatusId: string }>({
    kind: "status.publish_scheduled",
    maxAttempts: 5,
    handler: async ({ scheduledStatusId }) => {
      const row = ctx.storage.db.select().from(scheduledStatuses).where(eq(scheduledStatuses.id, scheduledStatusId)).get();
      if (!row) return; // cancelled, or already published
      if (row.scheduledAt > Date.now() + 1000) return; // rescheduled later; that time has its own job
      const p = JSON.parse(row.params) as ScheduledParams;
      try {
        await createStatus(ctx, row.accountId, {
          text: p.text,
          spoilerText: p.spoiler_text ?? undefined,
          sensitive: p.sensitive ?? undefined,
          visibility: p.visibility,
          language: p.language ?? undefined,
          inReplyToId: p.in_reply_to_id ?? undefined,
          mediaIds: p.media_ids ?? undefined,
          poll: p.poll ? { options: p.poll.options, expiresIn: Number(p.poll.expires_in), multiple: p.poll.multiple, hideTotals: p.poll.hide_totals } : undefined,
          applicationId: row.applicationId,
          quotedStatusId: p.quoted_status_id ?? undefined,
          quoteApprovalPolicy: p.quote_approval_policy,
          scheduledStatusId: row.id,
        });
      } catch (error) {
        if (error instanceof AlreadyPublishedError) return;
        throw error;
      }
    },
  });
