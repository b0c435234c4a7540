// Poll (entities/Poll.md).
import type { polls } from "../../db/schema.ts";

export type PollRow = typeof polls.$inferSelect;

/** `ownVotes` is null for anonymous viewers (no voted/own_votes then). */
export function renderPoll(poll: PollRow, ownVotes: number[] | null, isAuthor: boolean) {
  const expired = poll.expiresAt !== null && poll.expiresAt <= Date.now();
  // Hidden totals stay hidden until the poll ends, except from its author.
  const showTotals = !poll.hideTotals || expired || isAuthor;
  const options = (JSON.parse(poll.options) as { title: string; votes_count: number }[]).map((o) => ({
    title: o.title,
    votes_count: showTotals ? o.votes_count : null,
  }));
  const rendered: Record<string, unknown> = {
    id: poll.id,
    expires_at: poll.expiresAt === null ? null : new Date(poll.expiresAt).toISOString(),
    expired,
    multiple: poll.multiple,
    votes_count: poll.votesCount,
    voters_count: poll.multiple ? poll.votersCount : null,
    options,
    emojis: [],
  };
  if (ownVotes) {
    rendered.voted = isAuthor || ownVotes.length > 0;
    rendered.own_votes = ownVotes;
  }
  return rendered;
}
