// Voting in polls, and closing them when they expire (a job scheduled for the poll's end).
import { and, eq } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { newId } from "../../db/ids.ts";
import { notifications, polls, pollVotes, statuses, users } from "../../db/schema.ts";
import { defineJob } from "../../jobs/queue.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { notify } from "../notifications/notify.ts";
import { getVisibleStatus } from "./queries.ts";

export function findPollForViewer(ctx: Context, pollId: string, viewerId: string | null) {
  const poll = ctx.storage.db.select().from(polls).where(eq(polls.id, pollId)).get();
  if (!poll) throw new NotFoundError();
  const status = getVisibleStatus(ctx.storage, poll.statusId, viewerId);
  return { poll, status };
}

export function voteInPoll(ctx: Context, accountId: string, pollId: string, choices: number[]) {
  const { poll, status } = findPollForViewer(ctx, pollId, accountId);
  if (status.accountId === accountId) throw new ValidationError("Validation failed: You cannot vote in your own polls");
  if (poll.expiresAt !== null && poll.expiresAt <= Date.now()) throw new ValidationError("Validation failed: The poll has already ended");
  const options = JSON.parse(poll.options) as { title: string; votes_count: number }[];
  const unique = [...new Set(choices)];
  if (!unique.length) throw new ValidationError("Validation failed: Choices can't be blank");
  if (unique.some((c) => !Number.isInteger(c) || c < 0 || c >= options.length)) throw new ValidationError("Validation failed: Choices are not valid options");
  if (!poll.multiple && unique.length > 1) throw new ValidationError("Validation failed: This poll allows only one choice");
  ctx.storage.db.transaction((tx) => {
    if (tx.select({ id: pollVotes.id }).from(pollVotes).where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.accountId, accountId))).get()) {
      throw new ValidationError("Validation failed: You have already voted on this poll");
    }
    for (const choice of unique) {
      tx.insert(pollVotes).values({ id: newId(), pollId: poll.id, accountId, choice, createdAt: Date.now() }).run();
      options[choice]!.votes_count++;
    }
    tx.update(polls)
      .set({ options: JSON.stringify(options), votesCount: poll.votesCount + unique.length, votersCount: poll.votersCount + 1 })
      .where(eq(polls.id, poll.id))
      .run();
  }, { behavior: "immediate" });
  return findPollForViewer(ctx, pollId, accountId);
}

/** Schedules the end-of-poll notifications (idempotent: one pending job per poll). */
export function schedulePollExpiry(ctx: Context, pollId: string, expiresAt: number): void {
  ctx.queue.enqueue("poll.expire", { pollId }, { runAt: expiresAt, dedupeKey: `poll.expire:${pollId}` });
}

/** When a poll ends its local author and local voters get a `poll` notification, as in Mastodon. */
export const pollExpiryJob = (ctx: Context) =>
  defineJob<{ pollId: string }>({
    kind: "poll.expire",
    maxAttempts: 5,
    handler: ({ pollId }) => {
      const { db } = ctx.storage;
      const poll = db.select().from(polls).where(eq(polls.id, pollId)).get();
      if (!poll) return; // the status was deleted
      if (poll.expiresAt !== null && poll.expiresAt > Date.now()) {
        // The poll was edited to end later: run again then.
        schedulePollExpiry(ctx, pollId, poll.expiresAt);
        return;
      }
      const status = db.select().from(statuses).where(eq(statuses.id, poll.statusId)).get();
      if (!status) return;
      const locals = new Set(db.select({ id: users.accountId }).from(users).all().map((u) => u.id));
      const voters = new Set(db.select({ id: pollVotes.accountId }).from(pollVotes).where(eq(pollVotes.pollId, pollId)).all().map((v) => v.id));
      const recipients = [...new Set([status.accountId, ...voters])].filter((id) => locals.has(id));
      const already = (recipient: string) =>
        db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.accountId, recipient), eq(notifications.type, "poll"), eq(notifications.statusId, status.id))).get();
      for (const recipient of recipients) {
        // Idempotent: a retried job does not notify twice.
        if (!already(recipient)) notify(ctx, { recipientId: recipient, fromAccountId: status.accountId, type: "poll", statusId: status.id });
      }
    },
  });
