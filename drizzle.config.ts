import { defineConfig } from "drizzle-kit";

// Only used by `npm run db:generate` during development; the server applies migrations itself.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
