import { expect, test } from "bun:test";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openStorage } from "../../src/db/client.ts";
import { listJobs } from "../../src/jobs/admin.ts";
import { tempDir, waitFor } from "../helpers/temp.ts";

const WORKER = join(import.meta.dir, "..", "fixtures", "queue-worker.ts");

test("a job interrupted by kill -9 runs again after restart", async () => {
  const dir = tempDir();
  const log = join(dir.path, "log");
  const readLog = () => (existsSync(log) ? readFileSync(log, "utf8") : "");
  writeFileSync(join(dir.path, "hang"), "");

  const first = Bun.spawn([process.execPath, WORKER, dir.path, "enqueue"], { stdout: "ignore", stderr: "inherit" });
  await waitFor(() => readLog().includes("start 1"), "the job to start in the first process");
  first.kill("SIGKILL");
  expect(await first.exited).not.toBe(0);

  // The crash left the job marked running.
  const peek = openStorage(dir.path);
  expect(listJobs(peek).map((j) => [j.kind, j.status])).toEqual([["t.record", "running"]]);
  peek.close();

  rmSync(join(dir.path, "hang"));
  const second = Bun.spawn([process.execPath, WORKER, dir.path, "work"], { stdout: "ignore", stderr: "inherit" });
  try {
    await waitFor(() => readLog().includes("done"), "the job to finish in the second process");
    expect(readLog()).toBe("start 1\nstart 2\ndone\n");
    const after = openStorage(dir.path);
    await waitFor(() => listJobs(after).length === 0, "the finished job to be removed");
    after.close();
  } finally {
    second.kill("SIGKILL");
    await second.exited;
    dir.cleanup();
  }
});
