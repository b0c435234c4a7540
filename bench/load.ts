// Drives HTTP load at a URL for a few seconds and returns requests per second. Uses wrk when installed
// (apt-get install wrk), else a keep-alive fetch loop in this process.
import { spawnSync } from "node:child_process";

export async function requestsPerSecond(url: string, headers: Record<string, string> = {}, seconds = 5, connections = 32): Promise<number> {
  const wrk = spawnSync("wrk", ["--version"]);
  if (wrk.status !== null && !wrk.error) {
    const args = ["-t2", `-c${connections}`, `-d${seconds}s`, ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]), url];
    const out = spawnSync("wrk", args, { encoding: "utf8" });
    const rps = /Requests\/sec:\s+([\d.]+)/.exec(out.stdout)?.[1];
    const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out.stdout)?.[1];
    if (errors) throw new Error(`${errors} failed responses from ${url}`);
    if (!rps) throw new Error(`wrk failed: ${out.stdout}${out.stderr}`);
    return Number(rps);
  }
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${res.status} from ${url}`);
        done++;
      }
    }),
  );
  return done / seconds;
}
