// Time from spawn to the first 200 on /health, and resident memory once idle, for Roost and for a bare
// Bun server measured in the same run. Uses dist/roost when it exists (npm run build), else src/main.ts.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const runs = Number(process.env.RUNS ?? 5);

async function measure(command: (port: number) => string[], cwd: string) {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const t0 = performance.now();
    const child = Bun.spawn(command(port), { cwd, stdout: "ignore", stderr: "ignore" });
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) break;
      } catch {}
      if (child.exitCode !== null) throw new Error(`${command(port).join(" ")} exited with ${child.exitCode}`);
      await Bun.sleep(1);
    }
    times.push(performance.now() - t0);
    if (i === runs - 1) {
      await Bun.sleep(2000);
      const status = await Bun.file(`/proc/${child.pid}/status`).text();
      rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    }
    child.kill("SIGTERM");
    await child.exited;
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, rss };
}

export async function benchStartup(): Promise<void> {
  const data = mkdtempSync(join(tmpdir(), "roost-bench-"));
  try {
    const binary = join(root, "dist", "roost");
    const roostCommand = existsSync(binary) ? [binary] : [process.execPath, join(root, "src", "main.ts")];
    const baseline = await measure((port) => [process.execPath, join(import.meta.dir, "baseline-server.ts"), String(port)], data);
    const roost = await measure((port) => [...roostCommand, "serve", "--listen", `127.0.0.1:${port}`, "--log-level", "warning", "--data-dir", data], data);
    console.log(`startup (${existsSync(binary) ? "dist/roost" : "bun src/main.ts"}, median of ${runs})`);
    console.log(`  first 200:  roost ${roost.median.toFixed(0)} ms, bare Bun ${baseline.median.toFixed(0)} ms, ratio ${(roost.median / baseline.median).toFixed(2)}  (bar: ≤ 200 ms)`);
    console.log(`  idle RSS:   roost ${roost.rss.toFixed(0)} MB, bare Bun ${baseline.rss.toFixed(0)} MB, ratio ${(roost.rss / baseline.rss).toFixed(2)}  (bar: ≤ 90 MB)`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}

if (import.meta.main) await benchStartup();
