// Starts and stops a whole Roost server: context, HTTP, job queue. Used by `roost serve` and by tests.
import { getLogger } from "@logtape/logtape";
import { createApp, pathOf } from "./app.ts";
import { addCorsHeaders, isCorsPath, preflight } from "./http/cors.ts";
import { recordPeer } from "./http/client-ip.ts";
import { maxRequestBodySize } from "./http/limits.ts";
import { ensureVapidKeys } from "./push/vapid.ts";
import type { Config } from "./config.ts";
import { openContext, type Context } from "./context.ts";
import { hasOwner } from "./domain/accounts/owner.ts";
import { SetupGate } from "../ui/routes/setup.ts";

const log = getLogger(["roost", "server"]);

export interface RunningServer {
  ctx: Context;
  /** Where this process listens, e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  /** The one-time setup link while the server has no owner. */
  setupUrl: string | null;
  stop(): Promise<void>;
}

export async function startServer(config: Config): Promise<RunningServer> {
  const ctx = openContext(config);
  await ensureVapidKeys(ctx.storage);
  const gate = hasOwner(ctx.storage) ? new SetupGate(null) : SetupGate.random();
  const app = createApp(ctx, gate);
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({
      hostname: config.listen.hostname,
      port: config.listen.port,
      maxRequestBodySize: maxRequestBodySize(config),
      fetch: (request, bunServer) => {
        recordPeer(request, bunServer.requestIP(request)?.address);
        const path = pathOf(request.url);
        // CORS wraps the whole app so that errors carry the headers too.
        if (!isCorsPath(path)) return app.handle(request);
        if (request.method === "OPTIONS") return preflight(request);
        return app.handle(request).then(addCorsHeaders);
      },
    });
  } catch (error) {
    ctx.storage.close();
    throw error;
  }
  ctx.queue.start();
  const port = server.port!;
  const host = config.listen.hostname.includes(":") ? `[${config.listen.hostname}]` : config.listen.hostname;
  const url = `http://${host}:${port}`;
  log.info("Listening on {url}, public URL {publicUrl}", { url, publicUrl: config.publicUrl.href });

  let stopping: Promise<void> | undefined;
  return {
    ctx,
    url,
    port,
    get setupUrl() {
      return gate.url(config.publicUrl);
    },
    stop() {
      stopping ??= (async () => {
        // Stop accepting requests, let the queue wind down, then close the database cleanly.
        await server.stop();
        await ctx.queue.stop(config.shutdownTimeoutMs);
        ctx.storage.close();
        log.info("Stopped");
      })();
      return stopping;
    },
  };
}
