import type { Config } from "../config.ts";
import { openStorage } from "../db/client.ts";
import { countJobs, listJobs, purgeFailedJobs, retryFailedJobs, type JobStatus } from "../jobs/admin.ts";
import { UsageError, type ParsedArgs } from "./args.ts";
import { say } from "./output.ts";

export function jobsCommand(config: Config, args: ParsedArgs): number {
  const [action = "list", ...rest] = args.positionals;
  const storage = openStorage(config.dataDir);
  try {
    switch (action) {
      case "list":
        return list(storage, args);
      case "retry":
      case "purge": {
        const ids = selectIds(rest, args.options.all === true, action);
        const n = action === "retry" ? retryFailedJobs(storage, ids) : purgeFailedJobs(storage, ids);
        say(`${action === "retry" ? "Queued again" : "Purged"} ${n} failed job(s).`);
        if (action === "retry" && n > 0) say("A running server picks them up within 30 seconds.");
        return 0;
      }
      default:
        throw new UsageError(`unknown jobs action "${action}" (list, retry or purge)`);
    }
  } finally {
    storage.close();
  }
}

function selectIds(rest: string[], all: boolean, action: string): number[] | undefined {
  if (all && rest.length) throw new UsageError(`give job ids or --all, not both`);
  if (all) return undefined;
  if (!rest.length) throw new UsageError(`jobs ${action} needs job ids or --all`);
  return rest.map((id) => {
    if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not a job id`);
    return Number(id);
  });
}

function list(storage: ReturnType<typeof openStorage>, args: ParsedArgs): number {
  const status = args.options.status;
  if (status !== undefined && !["queued", "running", "failed"].includes(status as string)) {
    throw new UsageError("--status must be queued, running or failed");
  }
  const limitText = args.options.limit ?? "50";
  if (typeof limitText !== "string" || !/^\d+$/.test(limitText) || Number(limitText) < 1) throw new UsageError("--limit must be a positive number");
  const rows = listJobs(storage, status as JobStatus | undefined, Number(limitText));
  const counts = countJobs(storage);
  if (args.options.json) {
    say(JSON.stringify({ counts, jobs: rows }, null, 2));
    return 0;
  }
  say(`queued ${counts.queued}, running ${counts.running}, failed ${counts.failed}`);
  for (const job of rows) {
    const when = new Date(job.runAt).toISOString();
    const error = job.lastError ? `  ${job.lastError.slice(0, 100)}` : "";
    say(`#${job.id}  ${job.kind}  ${job.status}  attempts ${job.attempts}/${job.maxAttempts}  run at ${when}${error}`);
  }
  return 0;
}
