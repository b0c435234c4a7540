// GET /system/… : local media files (avatars, headers, attachments) from the data folder.
import { Elysia } from "elysia";
import { existsSync, statSync } from "node:fs";
import type { Context } from "../context.ts";
import { contentTypeFor, resolveMediaPath } from "../media/storage.ts";
import { errorResponse } from "./errors.ts";

export function mediaRoutes(ctx: Context) {
  return new Elysia().get("/system/*", ({ params }) => {
    const path = resolveMediaPath(ctx.config, params["*"]);
    if (!path || !existsSync(path) || !statSync(path).isFile()) return errorResponse(404, "Record not found");
    // File names are random and never reused, so they can be cached forever.
    return new Response(Bun.file(path), {
      headers: { "content-type": contentTypeFor(path), "cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff" },
    });
  });
}
