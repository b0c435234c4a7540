// What `roost jobs` does: look at the queue, retry failed jobs, purge them. Works on the database
// directly, so it also works while the server runs (the server notices within its rescan interval).
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Storage } from "../db/client.ts";
import { jobs } from "../db/schema.ts";

export type JobStatus = "queued" | "running" | "failed";

export function listJobs(storage: Storage, status?: JobStatus, limit = 100) {
  return storage.db
    .select()
    .from(jobs)
    .where(status ? eq(jobs.status, status) : undefined)
    .orderBy(desc(jobs.id))
    .limit(limit)
    .all();
}

/** Puts failed jobs back in the queue with a fresh set of attempts. Returns how many. */
export function retryFailedJobs(storage: Storage, ids?: number[]): number {
  const now = Date.now();
  return storage.db
    .update(jobs)
    .set({ status: "queued", attempts: 0, runAt: now, updatedAt: now })
    .where(and(eq(jobs.status, "failed"), ids ? inArray(jobs.id, ids) : undefined))
    .returning({ id: jobs.id })
    .all().length;
}

/** Deletes failed jobs (or the given ones, if failed). Returns how many. */
export function purgeFailedJobs(storage: Storage, ids?: number[]): number {
  return storage.db
    .delete(jobs)
    .where(and(eq(jobs.status, "failed"), ids ? inArray(jobs.id, ids) : undefined))
    .returning({ id: jobs.id })
    .all().length;
}

export function countJobs(storage: Storage): Record<JobStatus, number> {
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, failed: 0 };
  for (const row of storage.db
    .select({ status: jobs.status, count: sql<number>`count(*)` })
    .from(jobs)
    .groupBy(jobs.status)
    .all()) {
    counts[row.status] = row.count;
  }
  return counts;
}
