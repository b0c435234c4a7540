// The durable, in-process job queue. Jobs are rows in the `jobs` table: claimed by setting them
// `running`, deleted when their handler succeeds, rescheduled with backoff when it throws, and marked
// `failed` (kept, with the last error) after the kind's max attempts. A job left `running` by a process
// that died is queued again at the next start, so delivery is at-least-once: handlers must be idempotent.
import { and, eq, sql } from "drizzle-orm";
import { getLogger } from "@logtape/logtape";
import type { Storage } from "../db/client.ts";
import { jobs } from "../db/schema.ts";

const log = getLogger(["roost", "jobs"]);

export interface JobContext {
  id: number;
  /** 1 on the first run. */
  attempt: number;
  /** Aborted when the job times out or the server shuts down. */
  signal: AbortSignal;
}

export interface JobDefinition<P = unknown> {
  kind: string;
  handler: (payload: P, context: JobContext) => Promise<void> | void;
  /** Runs before the job is marked failed. Default 8. */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt. Default 15 s. */
  backoffBaseMs?: number;
  /** Upper bound of one retry delay. Default 6 h. */
  backoffMaxMs?: number;
  /** A run taking longer is aborted and counts as a failed attempt. Default 5 min. */
  timeoutMs?: number;
}

/** Declares a job kind; keep it next to the code that owns the work. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  return definition;
}

/** Thrown by a handler when retrying cannot help (bad payload, gone for good): the job fails at once. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

export interface EnqueueOptions {
  /** When to run (ms since epoch). Default now. */
  runAt?: number;
  /** While a queued or running job has this key, enqueueing another with it returns the existing one. */
  dedupeKey?: string;
  /** Higher runs first among due jobs. Default 0. */
  priority?: number;
}

export interface QueueOptions {
  workers: number;
  /** The longest a timer sleeps before looking at the table again; catches jobs added by other processes (`roost jobs retry`). */
  rescanMs?: number;
}

interface RunningJob {
  id: number;
  controller: AbortController;
  done: Promise<void>;
  /** Set when shutdown gave the job back to the queue; its late result is ignored. */
  released: boolean;
}

const SHUTDOWN = Symbol("shutdown");
const MAX_TIMER_MS = 2 ** 31 - 1;

export class JobQueue {
  private definitions = new Map<string, JobDefinition<any>>();
  private running = new Map<number, RunningJob>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private started = false;
  private stopping = false;
  private readonly workers: number;
  private readonly rescanMs: number;

  constructor(
    private storage: Storage,
    options: QueueOptions,
  ) {
    this.workers = options.workers;
    this.rescanMs = options.rescanMs ?? 30_000;
  }

  register(...definitions: JobDefinition<any>[]): this {
    for (const d of definitions) {
      if (this.definitions.has(d.kind)) throw new Error(`job kind ${d.kind} is registered twice`);
      this.definitions.set(d.kind, d);
    }
    return this;
  }

  enqueue<P>(kind: string | JobDefinition<P>, payload: P, options: EnqueueOptions = {}): { id: number; deduplicated: boolean } {
    const name = typeof kind === "string" ? kind : kind.kind;
    const definition = this.definitions.get(name);
    const now = Date.now();
    const runAt = options.runAt ?? now;
    const { db } = this.storage;
    const inserted = db
      .insert(jobs)
      .values({
        kind: name,
        payload: JSON.stringify(payload ?? null),
        priority: options.priority ?? 0,
        runAt,
        maxAttempts: definition?.maxAttempts ?? 8,
        dedupeKey: options.dedupeKey ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: jobs.id })
      .get();
    if (!inserted) {
      const existing = db
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.dedupeKey, options.dedupeKey!), sql`${jobs.status} IN ('queued', 'running')`))
        .get();
      if (existing) return { id: existing.id, deduplicated: true };
      throw new Error(`could not enqueue ${name}`);
    }
    if (this.started && !this.stopping) {
      if (runAt <= now) queueMicrotask(() => this.tick());
      else if (runAt < this.timerAt) this.wakeAt(runAt);
    }
    return { id: inserted.id, deduplicated: false };
  }

  /** Re-queues jobs a dead process left running, then starts working. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const recovered = this.storage.db
      .update(jobs)
      .set({ status: "queued", startedAt: null, updatedAt: Date.now() })
      .where(eq(jobs.status, "running"))
      .returning({ id: jobs.id })
      .all();
    if (recovered.length > 0) log.info("Re-queued {count} job(s) interrupted by the last shutdown", { count: recovered.length });
    this.tick();
  }

  /** Stops taking jobs; running ones get `timeoutMs` to finish, then are released back to the queue. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running.size === 0) return;
    const all = Promise.allSettled([...this.running.values()].map((r) => r.done));
    let timeout: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([all, new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timeout);
    for (const job of this.running.values()) {
      job.released = true;
      job.controller.abort(SHUTDOWN);
      // The interrupted run does not count as an attempt.
      this.storage.db
        .update(jobs)
        .set({ status: "queued", attempts: sql`max(${jobs.attempts} - 1, 0)`, startedAt: null, updatedAt: Date.now() })
        .where(and(eq(jobs.id, job.id), eq(jobs.status, "running")))
        .run();
      log.info("Released job {id} back to the queue at shutdown", { id: job.id });
    }
    this.running.clear();
  }

  get activeCount(): number {
    return this.running.size;
  }

  private tick(): void {
    if (!this.started || this.stopping) return;
    while (this.running.size < this.workers) {
      const job = this.claim(Date.now());
      if (!job) break;
      this.run(job);
    }
    this.scheduleNextWake();
  }

  private claim(now: number) {
    return this.storage.db
      .update(jobs)
      .set({ status: "running", attempts: sql`${jobs.attempts} + 1`, startedAt: now, updatedAt: now })
      .where(
        eq(
          jobs.id,
          sql`(SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ${now} ORDER BY priority DESC, run_at, id LIMIT 1)`,
        ),
      )
      .returning()
      .get();
  }

  private scheduleNextWake(): void {
    if (this.running.size >= this.workers) return; // a finishing job calls tick()
    const next = this.storage.db
      .select({ runAt: sql<number | null>`min(${jobs.runAt})` })
      .from(jobs)
      .where(eq(jobs.status, "queued"))
      .get()?.runAt;
    this.wakeAt(next ?? Date.now() + this.rescanMs);
  }

  private wakeAt(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.min(Math.max(0, at - Date.now()), this.rescanMs, MAX_TIMER_MS);
    this.timerAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    }, delay);
  }

  private run(row: typeof jobs.$inferSelect): void {
    const definition = this.definitions.get(row.kind);
    const controller = new AbortController();
    const entry: RunningJob = { id: row.id, controller, done: Promise.resolve(), released: false };
    this.running.set(row.id, entry);
    entry.done = (async () => {
      let timeout: ReturnType<typeof setTimeout> | undefined;
      try {
        if (!definition) throw new PermanentJobError(`no handler is registered for job kind "${row.kind}"`);
        let payload: unknown;
        try {
          payload = JSON.parse(row.payload);
        } catch {
          throw new PermanentJobError("the payload is not valid JSON");
        }
        const aborted = new Promise<never>((_, reject) => {
          controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
        });
        timeout = setTimeout(
          () => controller.abort(new Error(`timed out after ${definition.timeoutMs ?? 300_000} ms`)),
          definition.timeoutMs ?? 300_000,
        );
        await Promise.race([definition.handler(payload, { id: row.id, attempt: row.attempts, signal: controller.signal }), aborted]);
        if (!entry.released) this.storage.db.delete(jobs).where(eq(jobs.id, row.id)).run();
      } catch (error) {
        if (!entry.released) this.recordFailure(row, definition, error);
      } finally {
        clearTimeout(timeout);
        if (!entry.released) {
          this.running.delete(row.id);
          this.tick();
        }
      }
    })();
  }

  private recordFailure(row: typeof jobs.$inferSelect, definition: JobDefinition<any> | undefined, error: unknown): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const now = Date.now();
    const permanent = error instanceof PermanentJobError;
    if (permanent || row.attempts >= row.maxAttempts) {
      this.storage.db
        .update(jobs)
        .set({ status: "failed", lastError: message, startedAt: null, updatedAt: now })
        .where(eq(jobs.id, row.id))
        .run();
      log.warn("Job {id} ({kind}) failed for good after {attempts} attempt(s): {message}", {
        id: row.id,
        kind: row.kind,
        attempts: row.attempts,
        message,
      });
      return;
    }
    const delay = backoffDelay(row.attempts, definition?.backoffBaseMs ?? 15_000, definition?.backoffMaxMs ?? 6 * 3600_000);
    this.storage.db
      .update(jobs)
      .set({ status: "queued", lastError: message, runAt: now + delay, startedAt: null, updatedAt: now })
      .where(eq(jobs.id, row.id))
      .run();
    log.info("Job {id} ({kind}) attempt {attempts} failed, retrying in {delay} ms: {message}", {
      id: row.id,
      kind: row.kind,
      attempts: row.attempts,
      delay,
      message,
    });
  }
}

/** Exponential backoff with "equal jitter": half of the doubled delay is fixed, half random. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
