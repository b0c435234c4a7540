// The bare Bun baseline: a server that answers /health from one SQLite query, nothing else.
import { Database } from "bun:sqlite";

const db = new Database(":memory:");
const query = db.query("SELECT 1 AS ok");
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: Number(process.argv[2]),
  fetch: () => Response.json(query.get()),
});
process.on("SIGTERM", () => server.stop(true).then(() => process.exit(0)));
