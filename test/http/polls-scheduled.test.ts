import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { newId } from "../../src/db/ids.ts";
import { jobs, polls, scheduledStatuses } from "../../src/db/schema.ts";
import { listJobs } from "../../src/jobs/admin.ts";
import { pollExpiryJob } from "../../src/domain/statuses/polls.ts";
import { scheduledStatusJob } from "../../src/domain/statuses/scheduled.ts";
import { insertRemoteAccount, insertRemoteStatus } from "../helpers/fixtures.ts";
import { api, authorize } from "../helpers/oauth.ts";
import { expectEntities, expectEntity } from "../helpers/schema.ts";
import { startTestServerWithOwner, type TestServer } from "../helpers/server.ts";

let server: TestServer;
let call: ReturnType<typeof api>;
beforeAll(async () => {
  server = await startTestServerWithOwner();
  call = api(server.url, (await authorize(server.url)).token);
});
afterAll(() => server.close());

const job = { id: 0, attempt: 1, signal: new AbortController().signal };

function remotePoll(multiple: boolean, expiresAt = Date.now() + 3600_000) {
  const author = insertRemoteAccount(server, `poller${multiple ? "m" : "s"}${Math.floor(Math.random() * 1e6)}`);
  const status = insertRemoteStatus(server, author, { text: "which?" });
  const id = newId();
  server.ctx.storage.db
    .insert(polls)
    .values({ id, statusId: status.id, options: JSON.stringify([{ title: "a", votes_count: 0 }, { title: "b", votes_count: 3 }]), multiple, expiresAt, votesCount: 3, votersCount: 3, createdAt: Date.now() })
    .run();
  return { id, status };
}

describe("polls", () => {
  test("vote in a remote poll; counts and own_votes update; second votes and bad choices are refused", async () => {
    const { id, status } = remotePoll(false);
    const seen = await call("GET", `/api/v1/polls/${id}`);
    expectEntity("Poll", seen.json);
    expect(seen.json).toMatchObject({ voted: false, own_votes: [] });
    expect((await call("POST", `/api/v1/polls/${id}/votes`, { choices: [0, 1] })).json.error).toBe("Validation failed: This poll allows only one choice");
    expect((await call("POST", `/api/v1/polls/${id}/votes`, { choices: [5] })).status).toBe(422);
    // Rails-style keys, as form-encoding apps send them.
    const form = new URLSearchParams();
    form.append("choices[]", "0");
    const ok = await call("POST", `/api/v1/polls/${id}/votes`, form);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ voted: true, own_votes: [0], votes_count: 4, voters_count: null, options: [{ title: "a", votes_count: 1 }, { title: "b", votes_count: 3 }] });
    expect((await call("POST", `/api/v1/polls/${id}/votes`, form)).json.error).toBe("Validation failed: You have already voted on this poll");
    expect((await call("GET", `/api/v1/statuses/${status.id}`)).json.poll.own_votes).toEqual([0]);
  });

  test("multiple choice, expired polls and own polls", async () => {
    const multi = remotePoll(true);
    const res = await call("POST", `/api/v1/polls/${multi.id}/votes`, { choices: [0, 1] });
    expect(res.json).toMatchObject({ votes_count: 5, voters_count: 4, own_votes: [0, 1] });
    const ended = remotePoll(false, Date.now() - 1000);
    expect((await call("POST", `/api/v1/polls/${ended.id}/votes`, { choices: [0] })).json.error).toBe("Validation failed: The poll has already ended");
    const mine = await call("POST", "/api/v1/statuses", { status: "mine", poll: { options: ["x", "y"], expires_in: 300 } });
    expect((await call("POST", `/api/v1/polls/${mine.json.poll.id}/votes`, { choices: [0] })).json.error).toBe("Validation failed: You cannot vote in your own polls");
    expect((await call("GET", "/api/v1/polls/123")).status).toBe(404);
  });

  test("an ending poll is a scheduled job that notifies the author and local voters once", async () => {
    const mine = await call("POST", "/api/v1/statuses", { status: "closing soon", poll: { options: ["x", "y"], expires_in: 300 } });
    const pollId = mine.json.poll.id;
    const queued = listJobs(server.ctx.storage, "queued").find((j) => j.kind === "poll.expire" && JSON.parse(j.payload).pollId === pollId)!;
    expect(queued.runAt).toBe(Date.parse(mine.json.poll.expires_at));
    const voted = remotePoll(false);
    const form = new URLSearchParams([["choices[]", "1"]]);
    await call("POST", `/api/v1/polls/${voted.id}/votes`, form);
    // Time passes: the polls end.
    for (const id of [pollId, voted.id]) server.ctx.storage.db.update(polls).set({ expiresAt: Date.now() - 1 }).where(eq(polls.id, id)).run();
    const run = pollExpiryJob(server.ctx).handler;
    await run({ pollId }, job);
    await run({ pollId: voted.id }, job);
    await run({ pollId: voted.id }, job); // a retried job
    const notes = (await call("GET", "/api/v1/notifications?types[]=poll")).json;
    expectEntities("Notification", notes);
    expect(notes.map((n: { status: { id: string } }) => n.status.id).sort()).toEqual([mine.json.id, voted.status.id].sort());
    expect(notes.find((n: { status: { id: string } }) => n.status.id === mine.json.id).status.poll.expired).toBe(true);
  });
});

describe("scheduled statuses", () => {
  test("scheduled_at returns a ScheduledStatus; list, reschedule, cancel", async () => {
    const at = new Date(Date.now() + 10 * 60_000).toISOString();
    const res = await call("POST", "/api/v1/statuses", { status: "later", visibility: "unlisted", scheduled_at: at });
    expect(res.status).toBe(200);
    expectEntity("ScheduledStatus", res.json);
    expect(res.json).toMatchObject({ scheduled_at: at, params: { text: "later", visibility: "unlisted" } });
    expect((await call("POST", "/api/v1/statuses", { status: "too soon", scheduled_at: new Date(Date.now() + 60_000).toISOString() })).status).toBe(422);
    expect((await call("POST", "/api/v1/statuses", { status: "nonsense", scheduled_at: "tomorrow" })).status).toBe(422);
    const list = await call("GET", "/api/v1/scheduled_statuses");
    expectEntities("ScheduledStatus", list.json);
    expect(list.json.map((s: { id: string }) => s.id)).toEqual([res.json.id]);
    const later = new Date(Date.now() + 20 * 60_000).toISOString();
    const moved = await call("PUT", `/api/v1/scheduled_statuses/${res.json.id}`, { scheduled_at: later });
    expect(moved.json.scheduled_at).toBe(later);
    const pending = listJobs(server.ctx.storage, "queued").filter((j) => j.kind === "status.publish_scheduled");
    expect(pending.map((j) => j.runAt)).toContain(Date.parse(later));
    expect((await call("DELETE", `/api/v1/scheduled_statuses/${res.json.id}`)).json).toEqual({});
    expect((await call("GET", `/api/v1/scheduled_statuses/${res.json.id}`)).status).toBe(404);
  });

  test("at its time the job posts it once, even if the job runs twice", async () => {
    const at = new Date(Date.now() + 6 * 60_000).toISOString();
    const scheduled = (await call("POST", "/api/v1/statuses", { status: "from the future #scheduled", scheduled_at: at })).json;
    // Time passes.
    server.ctx.storage.db.update(scheduledStatuses).set({ scheduledAt: Date.now() - 1 }).where(eq(scheduledStatuses.id, scheduled.id)).run();
    const run = scheduledStatusJob(server.ctx).handler;
    await Promise.all([run({ scheduledStatusId: scheduled.id }, job), run({ scheduledStatusId: scheduled.id }, job)]);
    const posted = (await call("GET", "/api/v1/timelines/tag/scheduled")).json;
    expect(posted.map((s: { content: string }) => s.content)).toEqual([expect.stringContaining("from the future")]);
    expect(posted[0].application.name).toBe("Test App");
    expect((await call("GET", "/api/v1/scheduled_statuses")).json).toEqual([]);
    expect(server.ctx.storage.db.select().from(jobs).all().length).toBeGreaterThan(0);
  });
});
