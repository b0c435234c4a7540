import type { Config } from "../config.ts";
import { startServer } from "../server.ts";
import { say } from "./output.ts";

export async function serveCommand(config: Config): Promise<number> {
  const server = await startServer(config);
  say(`Roost is listening on ${server.url} (public URL ${config.publicUrl.origin})`);
  if (server.setupUrl) {
    say("This server has no owner yet. Open this one-time link to create your account:");
    say(`  ${server.setupUrl}`);
  }
  return new Promise((resolve) => {
    const shutdown = (signal: string) => {
      say(`${signal} received, shutting down`);
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onInt);
      server.stop().then(
        () => resolve(0),
        (error) => {
          process.stderr.write(`roost: shutdown failed: ${(error as Error).message}\n`);
          resolve(1);
        },
      );
    };
    const onTerm = () => shutdown("SIGTERM");
    const onInt = () => shutdown("SIGINT");
    process.on("SIGTERM", onTerm);
    process.on("SIGINT", onInt);
  });
}
