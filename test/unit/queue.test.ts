import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { openStorage, type Storage } from "../../src/db/client.ts";
import { jobs } from "../../src/db/schema.ts";
import { countJobs, purgeFailedJobs, retryFailedJobs } from "../../src/jobs/admin.ts";
import { backoffDelay, defineJob, JobQueue, PermanentJobError } from "../../src/jobs/queue.ts";
import { tempDir, waitFor } from "../helpers/temp.ts";

let dir: ReturnType<typeof tempDir>;
let storage: Storage;
let queue: JobQueue | undefined;

beforeEach(() => {
  dir = tempDir();
  storage = openStorage(dir.path);
});
afterEach(async () => {
  await queue?.stop(1000);
  queue = undefined;
  storage.close();
  dir.cleanup();
});

const row = (id: number) => storage.db.select().from(jobs).where(eq(jobs.id, id)).get();

describe("the job queue", () => {
  test("a job runs with its payload and is removed when it succeeds", async () => {
    const seen: unknown[] = [];
    queue = new JobQueue(storage, { workers: 2 }).register(defineJob<{ n: number }>({ kind: "t.ok", handler: (p) => void seen.push(p) }));
    queue.start();
    const { id } = queue.enqueue("t.ok", { n: 42 });
    await waitFor(() => row(id) === undefined, "the job to finish");
    expect(seen).toEqual([{ n: 42 }]);
  });

  test("a failing job is retried with growing delays, then succeeds", async () => {
    const times: number[] = [];
    queue = new JobQueue(storage, { workers: 1 }).register(
      defineJob({
        kind: "t.flaky",
        backoffBaseMs: 100,
        handler: (_p, { attempt }) => {
          times.push(Date.now());
          if (attempt < 3) throw new Error(`attempt ${attempt} broke`);
        },
      }),
    );
    queue.start();
    const { id } = queue.enqueue("t.flaky", {});
    await waitFor(() => row(id)?.lastError === "Error: attempt 1 broke", "the first failure to be recorded");
    expect(row(id)!.status).toBe("queued");
    expect(row(id)!.runAt).toBeGreaterThan(Date.now() - 10);
    await waitFor(() => times.length === 3 && row(id) === undefined, "the third attempt to succeed");
    const firstGap = times[1]! - times[0]!;
    const secondGap = times[2]! - times[1]!;
    // Equal jitter: attempt n waits between half and all of base * 2^(n-1).
    expect(firstGap).toBeGreaterThanOrEqual(50 - 5);
    expect(secondGap).toBeGreaterThanOrEqual(100 - 5);
  });

  test("after max attempts the job is kept as failed with its last error", async () => {
    let runs = 0;
    queue = new JobQueue(storage, { workers: 1 }).register(
      defineJob({
        kind: "t.broken",
        maxAttempts: 3,
        backoffBaseMs: 10,
        handler: () => {
          runs++;
          throw new Error(`still broken (${runs})`);
        },
      }),
    );
    queue.start();
    const { id } = queue.enqueue("t.broken", {});
    await waitFor(() => row(id)?.status === "failed", "the job to fail");
    expect(runs).toBe(3);
    expect(row(id)!.attempts).toBe(3);
    expect(row(id)!.lastError).toBe("Error: still broken (3)");
    await Bun.sleep(100);
    expect(runs).toBe(3);
    expect(countJobs(storage)).toEqual({ queued: 0, running: 0, failed: 1 });
  });

  test("a permanent error fails the job at once", async () => {
    queue = new JobQueue(storage, { workers: 1 }).register(
      defineJob({ kind: "t.gone", handler: () => { throw new PermanentJobError("the object is gone"); } }),
    );
    queue.start();
    const { id } = queue.enqueue("t.gone", {});
    await waitFor(() => row(id)?.status === "failed", "the job to fail");
    expect(row(id)!.attempts).toBe(1);
  });

  test("a job of an unknown kind fails instead of looping", async () => {
    queue = new JobQueue(storage, { workers: 1 });
    queue.start();
    const { id } = queue.enqueue("t.nobody", {});
    await waitFor(() => row(id)?.status === "failed", "the job to fail");
    expect(row(id)!.lastError).toContain('no handler is registered for job kind "t.nobody"');
  });

  test("a scheduled job runs on time, not before, without polling", async () => {
    let ranAt = 0;
    queue = new JobQueue(storage, { workers: 1 }).register(defineJob({ kind: "t.later", handler: () => void (ranAt = Date.now()) }));
    queue.start();
    const due = Date.now() + 400;
    queue.enqueue("t.later", {}, { runAt: due });
    await Bun.sleep(200);
    expect(ranAt).toBe(0);
    await waitFor(() => ranAt, "the scheduled job");
    expect(ranAt).toBeGreaterThanOrEqual(due);
    expect(ranAt - due).toBeLessThan(150);
  });

  test("an earlier job enqueued later wakes the queue sooner", async () => {
    const order: string[] = [];
    queue = new JobQueue(storage, { workers: 1 }).register(defineJob<string>({ kind: "t.mark", handler: (p) => void order.push(p) }));
    queue.start();
    queue.enqueue("t.mark", "late", { runAt: Date.now() + 5000 });
    queue.enqueue("t.mark", "soon", { runAt: Date.now() + 100 });
    await waitFor(() => order.length === 1, "the sooner job", 2000);
    expect(order).toEqual(["soon"]);
  });

  test("a dedupe key keeps one pending job, and frees up once it is done", async () => {
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    queue = new JobQueue(storage, { workers: 1 }).register(
      defineJob<string>({ kind: "t.fetch", handler: async (p) => { seen.push(p); await gate; } }),
    );
    const first = queue.enqueue("t.fetch", "a", { dedupeKey: "fetch:https://x.example/1" });
    const second = queue.enqueue("t.fetch", "b", { dedupeKey: "fetch:https://x.example/1" });
    const other = queue.enqueue("t.fetch", "c", { dedupeKey: "fetch:https://x.example/2" });
    expect(second).toEqual({ id: first.id, deduplicated: true });
    expect(other.deduplicated).toBe(false);
    queue.start();
    await waitFor(() => row(first.id)?.status === "running", "the first job to run");
    // Still deduplicated while it runs.
    expect(queue.enqueue("t.fetch", "d", { dedupeKey: "fetch:https://x.example/1" }).id).toBe(first.id);
    release();
    await waitFor(() => countJobs(storage).queued + countJobs(storage).running === 0, "the jobs to finish");
    expect(seen.sort()).toEqual(["a", "c"]);
    expect(queue.enqueue("t.fetch", "e", { dedupeKey: "fetch:https://x.example/1" }).deduplicated).toBe(false);
  });

  test("higher priority runs first among due jobs", async () => {
    const order: string[] = [];
    queue = new JobQueue(storage, { workers: 1 }).register(defineJob<string>({ kind: "t.p", handler: (p) => void order.push(p) }));
    queue.enqueue("t.p", "low");
    queue.enqueue("t.p", "high", { priority: 10 });
    queue.enqueue("t.p", "mid", { priority: 5 });
    queue.start();
    await waitFor(() => order.length === 3, "all jobs");
    expect(order).toEqual(["high", "mid", "low"]);
  });

  test("no more jobs run at once than there are workers", async () => {
    let running = 0;
    let peak = 0;
    queue = new JobQueue(storage, { workers: 3 }).register(
      defineJob({ kind: "t.busy", handler: async () => { running++; peak = Math.max(peak, running); await Bun.sleep(30); running--; } }),
    );
    for (let i = 0; i < 10; i++) queue.enqueue("t.busy", i);
    queue.start();
    await waitFor(() => countJobs(storage).queued + countJobs(storage).running === 0, "all jobs");
    expect(peak).toBe(3);
  });

  test("a job that runs past its timeout is aborted and retried", async () => {
    let aborted = false;
    queue = new JobQueue(storage, { workers: 1 }).register(
      defineJob({
        kind: "t.slow",
        timeoutMs: 50,
        backoffBaseMs: 60_000,
        handler: (_p, { signal }) => new Promise<void>(() => signal.addEventListener("abort", () => (aborted = true))),
      }),
    );
    queue.start();
    const { id } = queue.enqueue("t.slow", {});
    await waitFor(() => row(id)?.lastError?.includes("timed out after 50 ms"), "the timeout");
    expect(aborted).toBe(true);
    expect(row(id)!.status).toBe("queued");
  });

  test("on shutdown a job that does not finish in time is released, not counted as an attempt", async () => {
    queue = new JobQueue(storage, { workers: 1 }).register(
      defineJob({ kind: "t.hang", handler: () => new Promise<void>(() => {}) }),
    );
    queue.start();
    const { id } = queue.enqueue("t.hang", {});
    await waitFor(() => row(id)?.status === "running", "the job to start");
    await queue.stop(50);
    expect(row(id)).toMatchObject({ status: "queued", attempts: 0 });
  });

  test("on shutdown a job that finishes within the bound completes", async () => {
    queue = new JobQueue(storage, { workers: 1 }).register(defineJob({ kind: "t.short", handler: () => Bun.sleep(50) }));
    queue.start();
    const { id } = queue.enqueue("t.short", {});
    await waitFor(() => row(id)?.status === "running", "the job to start");
    await queue.stop(2000);
    expect(row(id)).toBeUndefined();
  });

  test("jobs left running by a dead process are queued again at start", async () => {
    const seen: number[] = [];
    const now = Date.now();
    const { id } = storage.db
      .insert(jobs)
      .values({ kind: "t.again", payload: "7", status: "running", runAt: now, attempts: 1, maxAttempts: 8, createdAt: now, updatedAt: now })
      .returning({ id: jobs.id })
      .get();
    queue = new JobQueue(storage, { workers: 1 }).register(
      defineJob<number>({ kind: "t.again", handler: (p, { attempt }) => void seen.push(p, attempt) }),
    );
    queue.start();
    await waitFor(() => row(id) === undefined, "the recovered job");
    expect(seen).toEqual([7, 2]);
  });

  test("failed jobs can be retried with fresh attempts, or purged", async () => {
    let fail = true;
    queue = new JobQueue(storage, { workers: 1, rescanMs: 50 }).register(
      defineJob({ kind: "t.later-ok", maxAttempts: 1, handler: () => { if (fail) throw new Error("not yet"); } }),
    );
    queue.start();
    const a = queue.enqueue("t.later-ok", "a");
    const b = queue.enqueue("t.later-ok", "b");
    await waitFor(() => countJobs(storage).failed === 2, "both to fail");
    fail = false;
    expect(retryFailedJobs(storage, [a.id])).toBe(1);
    expect(row(a.id)).toMatchObject({ status: "queued", attempts: 0 });
    await waitFor(() => row(a.id) === undefined, "the retried job to run (picked up by the rescan)");
    expect(purgeFailedJobs(storage)).toBe(1);
    expect(row(b.id)).toBeUndefined();
  });
});

test("backoff doubles per attempt, stays within bounds and is jittered", () => {
  expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
  expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
  expect(backoffDelay(4, 1000, 60_000, () => 1)).toBe(8000);
  expect(backoffDelay(30, 1000, 60_000, () => 1)).toBe(60_000);
  const samples = new Set(Array.from({ length: 20 }, () => backoffDelay(3, 1000, 60_000)));
  expect(samples.size).toBeGreaterThan(1);
  for (const s of samples) expect(s >= 2000 && s <= 4000).toBe(true);
});
