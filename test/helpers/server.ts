// Starts the real app in this process on a free port with a temporary data folder.
import { loadConfig, type Config } from "../../src/config.ts";
import { createOwner } from "../../src/domain/accounts/owner.ts";
import { startServer, type RunningServer } from "../../src/server.ts";
import { freePort, tempDir } from "./temp.ts";

export interface TestServer extends RunningServer {
  config: Config;
  dataDir: string;
  /** Stops the server and deletes its data folder. */
  close(): Promise<void>;
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = tempDir();
  const port = freePort();
  const config = loadConfig({
    ROOST_DATA_DIR: dir.path,
    ROOST_LISTEN: `127.0.0.1:${port}`,
    ROOST_PUBLIC_URL: `http://127.0.0.1:${port}`,
    ROOST_LOG_LEVEL: "warning",
    ROOST_ALLOW_PRIVATE_ADDRESSES: "true",
    ...env,
  });
  const server = await startServer(config);
  return Object.assign(server, {
    config,
    dataDir: dir.path,
    async close() {
      await server.stop();
      dir.cleanup();
    },
  });
}

export async function startTestServerWithOwner(env: Record<string, string> = {}, username = "alice"): Promise<TestServer> {
  const server = await startTestServer(env);
  await createOwner(server.ctx, { username, displayName: "Alice", password: "correct horse battery" });
  return server;
}

/** A server with an owner, and the owner signed in through an app with every user scope. */
export async function startApiSession(env: Record<string, string> = {}) {
  const { api, authorize } = await import("./oauth.ts");
  const { findOwner } = await import("../../src/domain/accounts/owner.ts");
  const server = await startTestServerWithOwner(env);
  const client = await authorize(server.url);
  return {
    server,
    /** Calls the API as the owner. */
    call: api(server.url, client.token),
    /** Calls the API without a token. */
    anon: api(server.url),
    ownerId: findOwner(server.ctx.storage)!.account.id,
    token: client.token,
  };
}
