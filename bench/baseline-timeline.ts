// The bar's baseline: bare Bun and one SQLite query returning 40 stored rows, as JSON.
import { Database } from "bun:sqlite";

const db = new Database(":memory:");
db.exec("CREATE TABLE statuses (id TEXT PRIMARY KEY, account_id TEXT, content TEXT, created_at INTEGER)");
const insert = db.prepare("INSERT INTO statuses VALUES (?, ?, ?, ?)");
for (let i = 0; i < 200; i++) insert.run((10n ** 17n + BigInt(i)).toString(), "1", `<p>status number ${i} with some text to render</p>`, Date.now());
const page = db.query("SELECT * FROM statuses ORDER BY id DESC LIMIT 40");
const server = Bun.serve({ hostname: "127.0.0.1", port: Number(process.argv[2]), fetch: () => Response.json(page.all()) });
process.on("SIGTERM", () => server.stop(true).then(() => process.exit(0)));
