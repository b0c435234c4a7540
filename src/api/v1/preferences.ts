// methods/preferences.md, markers.md, suggestions.md, announcements.md
import { Elysia, t } from "elysia";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { markers, users } from "../../db/schema.ts";
import { ValidationError } from "../../domain/errors.ts";
import { requireUser } from "../auth.ts";
import { list } from "../params.ts";

const TIMELINES = ["home", "notifications"] as const;
type Timeline = (typeof TIMELINES)[number];

export function preferencesRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const renderMarkers = (accountId: string, timelines: readonly string[]) => {
    const rows = db.select().from(markers).where(and(eq(markers.accountId, accountId), inArray(markers.timeline, timelines as Timeline[]))).all();
    return Object.fromEntries(rows.map((m) => [m.timeline, { last_read_id: m.lastReadId, version: m.version, updated_at: new Date(m.updatedAt).toISOString() }]));
  };

  return new Elysia()
    .get("/api/v1/preferences", ({ request }) => {
      const viewer = requireUser(ctx, request, ["read:accounts"]);
      const user = db.select().from(users).where(eq(users.accountId, viewer.accountId)).get()!;
      return {
        "posting:default:visibility": user.defaultPrivacy,
        "posting:default:sensitive": user.defaultSensitive,
        "posting:default:language": user.defaultLanguage,
        "posting:default:quote_policy": "public",
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
        "reading:autoplay:gifs": true,
      };
    })
    .get(
      "/api/v1/markers",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:statuses"]);
        return renderMarkers(viewer.accountId, (query.timeline ?? []).filter((x) => (TIMELINES as readonly string[]).includes(x)));
      },
      { query: t.Object({ timeline: t.Optional(list(t.String())) }) },
    )
    .post(
      "/api/v1/markers",
      ({ request, body }) => {
        const viewer = requireUser(ctx, request, ["write:statuses"]);
        const now = Date.now();
        const touched: Timeline[] = [];
        for (const timeline of TIMELINES) {
          const lastReadId = body[timeline]?.last_read_id;
          if (lastReadId === undefined) continue;
          if (!/^\d{1,19}$/.test(lastReadId)) throw new ValidationError(`Validation failed: Last read id of ${timeline} is invalid`);
          db.insert(markers)
            .values({ accountId: viewer.accountId, timeline, lastReadId, version: 0, updatedAt: now })
            .onConflictDoUpdate({ target: [markers.accountId, markers.timeline], set: { lastReadId, version: sql`${markers.version} + 1`, updatedAt: now } })
            .run();
          touched.push(timeline);
        }
        return renderMarkers(viewer.accountId, touched);
      },
      {
        body: t.Object({
          home: t.Optional(t.Object({ last_read_id: t.Optional(t.String()) })),
          notifications: t.Optional(t.Object({ last_read_id: t.Optional(t.String()) })),
        }),
      },
    )
    // Suggestions come from interactions and follows of follows, which need federation; none yet.
    .get("/api/v1/suggestions", ({ request }) => (requireUser(ctx, request, ["read"]), []))
    .get("/api/v2/suggestions", ({ request }) => (requireUser(ctx, request, ["read"]), []))
    .delete("/api/v1/suggestions/:account_id", ({ request }) => (requireUser(ctx, request, ["read"]), {}))
    .get("/api/v1/announcements", ({ request }) => (requireUser(ctx, request, ["read"]), []));
}
