// GET /health: is the database reachable, how deep is the job queue. 503 when the database fails.
import { Elysia } from "elysia";
import type { Context } from "../context.ts";
import { countJobs } from "../jobs/admin.ts";

export function healthRoutes(ctx: Context) {
  return new Elysia().get("/health", () => {
    try {
      ctx.storage.sqlite.query("SELECT 1").get();
      const jobs = countJobs(ctx.storage);
      return Response.json({ status: "ok", database: "ok", jobs }, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      return Response.json(
        { status: "error", database: (error as Error).message },
        { status: 503, headers: { "cache-control": "no-store" } },
      );
    }
  });
}
