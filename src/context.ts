// What every face and domain function works with: configuration, storage, the job queue and events.
// One Context per running server (tests start several in one process).
import type { Config } from "./config.ts";
import { openStorage, type Storage } from "./db/client.ts";
import { EventBus } from "./events/bus.ts";
import { JobQueue } from "./jobs/queue.ts";
import { allJobs } from "./jobs/registry.ts";

export interface Context {
  config: Config;
  storage: Storage;
  queue: JobQueue;
  events: EventBus;
}

/** Opens (and migrates) the database and prepares the queue; the queue starts with the server. */
export function openContext(config: Config): Context {
  const storage = openStorage(config.dataDir);
  const queue = new JobQueue(storage, { workers: config.jobWorkers });
  const ctx: Context = { config, storage, queue, events: new EventBus() };
  queue.register(...allJobs(ctx));
  return ctx;
}
