// Every job kind the server runs. Each is declared next to the code that owns its work; handlers
// get the server's Context through these factories.
import type { Context } from "../context.ts";
import { pollExpiryJob } from "../domain/statuses/polls.ts";
import { scheduledStatusJob } from "../domain/statuses/scheduled.ts";
import type { JobDefinition } from "./queue.ts";

export function allJobs(ctx: Context): JobDefinition<any>[] {
  return [pollExpiryJob(ctx), scheduledStatusJob(ctx)];
}
