// GET /api/v1/timelines/home with 40 fully rendered statuses, against bare Bun + one SQLite query
// returning 40 rows, measured in the same run. The bar: Roost at least half of the baseline.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requestsPerSecond } from "./load.ts";

const root = join(import.meta.dir, "..");
const seconds = Number(process.env.SECONDS_PER_RUN ?? 5);

async function waitUp(url: string) {
  for (let i = 0; i < 500; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await Bun.sleep(10);
  }
  throw new Error(`${url} did not come up`);
}

const run = (args: string[], env: Record<string, string>) => {
  const r = Bun.spawnSync([process.execPath, join(root, "src/main.ts"), ...args], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`roost ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
};

export async function benchTimeline(): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), "roost-bench-"));
  const env = { ROOST_DATA_DIR: data, ROOST_LOG_LEVEL: "error" };
  const children: ReturnType<typeof Bun.spawn>[] = [];
  try {
    writeFileSync(join(data, "pw"), "bench password\n");
    run(["setup", "--username", "bench", "--password-file", join(data, "pw")], env);
    const token = run(["token", "create", "--app", "bench", "--scopes", "read write"], env);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const roost = Bun.spawn([process.execPath, join(root, "src/main.ts"), "serve", "--listen", `127.0.0.1:${port}`], { env: { ...process.env, ...env }, stdout: "ignore", stderr: "inherit" });
    children.push(roost);
    const base = `http://127.0.0.1:${port}`;
    await waitUp(`${base}/health`);
    const auth = { authorization: `Bearer ${token}` };
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${base}/api/v1/statuses`, {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({ status: `Status ${i} with a link https://example.com/page/${i} and #bench`, spoiler_text: i % 5 ? "" : "cw" }),
      });
      if (res.status !== 200) throw new Error(`seeding failed: ${res.status}`);
    }
    const home = await (await fetch(`${base}/api/v1/timelines/home?limit=40`, { headers: auth })).json();
    if (home.length !== 40) throw new Error(`home has ${home.length} statuses, not 40`);

    const basePort = port + 1;
    const baseline = Bun.spawn([process.execPath, join(import.meta.dir, "baseline-timeline.ts"), String(basePort)], { stdout: "ignore", stderr: "inherit" });
    children.push(baseline);
    await waitUp(`http://127.0.0.1:${basePort}/`);

    const bare = await requestsPerSecond(`http://127.0.0.1:${basePort}/`, {}, seconds);
    const roostRps = await requestsPerSecond(`${base}/api/v1/timelines/home?limit=40`, auth, seconds);
    console.log(`home timeline (40 statuses, ${seconds}s each)`);
    console.log(`  roost ${roostRps.toFixed(0)} req/s, bare Bun + SQLite ${bare.toFixed(0)} req/s, ratio ${(roostRps / bare).toFixed(2)}  (bar: ≥ 0.50 and ≥ 7,500 req/s)`);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(children.map((c) => c.exited));
    rmSync(data, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchTimeline();
