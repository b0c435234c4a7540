// Wires the faces onto one Elysia app. The only file that knows all of them.
import { Elysia } from "elysia";
import { getLogger } from "@logtape/logtape";
import type { Context } from "./context.ts";
import { errorResponse, responseForError } from "./http/errors.ts";
import { healthRoutes } from "./http/health.ts";
import { checkBodySize } from "./http/limits.ts";
import { normalizeParams, parseQuery } from "./api/params.ts";
import { accountsRoutes } from "./api/v1/accounts.ts";
import { appsRoutes } from "./api/v1/apps.ts";
import { conversationsRoutes } from "./api/v1/conversations.ts";
import { instanceRoutes } from "./api/v1/instance.ts";
import { listsRoutes } from "./api/v1/lists.ts";
import { notificationsRoutes } from "./api/v1/notifications.ts";
import { preferencesRoutes } from "./api/v1/preferences.ts";
import { scheduledRoutes } from "./api/v1/scheduled.ts";
import { statusesRoutes } from "./api/v1/statuses.ts";
import { tagsRoutes } from "./api/v1/tags.ts";
import { timelinesRoutes } from "./api/v1/timelines.ts";
import { filtersRoutes } from "./api/v2/filters.ts";
import { searchRoutes } from "./api/v2/search.ts";
import { mediaRoutes } from "./http/media.ts";
import { oauthRoutes } from "./oauth/routes.ts";
import { assetRoutes } from "../ui/routes/assets.ts";
import { homeRoutes } from "../ui/routes/home.ts";
import { setupRoutes, type SetupGate } from "../ui/routes/setup.ts";
import { Layout } from "../ui/components/layout.ts";
import { html, htmlResponse } from "../ui/html.ts";

const log = getLogger(["roost", "http"]);

/** Paths whose clients expect JSON errors, never an HTML page. */
const JSON_FACES = /^\/(api|oauth|\.well-known|nodeinfo|users|inbox|system)(\/|$)/;

export function createApp(ctx: Context, gate: SetupGate) {
  const started = new WeakMap<Request, number>();
  return new Elysia()
    .onRequest(({ request }) => {
      started.set(request, performance.now());
      return checkBodySize(ctx.config, request, pathOf(request.url));
    })
    // Rails-style keys (media_ids[], poll[options][]) become nested values before validation.
    .onTransform((c) => {
      if (c.body && typeof c.body === "object") c.body = normalizeParams(c.body);
      c.query = normalizeParams(parseQuery(c.request.url)) as typeof c.query;
    })
    .onError(({ code, error, request }) => {
      if (code === "NOT_FOUND" && !JSON_FACES.test(pathOf(request.url))) return notFoundPage();
      return responseForError(code, error, request);
    })
    .onAfterResponse(({ request, set, responseValue }) => {
      const t0 = started.get(request);
      const ms = t0 === undefined ? 0 : performance.now() - t0;
      log.info("{method} {path} {status} {ms}ms", {
        method: request.method,
        path: pathOf(request.url),
        status: responseValue instanceof Response ? responseValue.status : typeof set.status === "number" ? set.status : 200,
        ms: Math.round(ms * 10) / 10,
      });
    })
    .use(healthRoutes(ctx))
    .use(setupRoutes(ctx, gate))
    .use(homeRoutes(ctx))
    .use(assetRoutes())
    .use(oauthRoutes(ctx))
    .use(appsRoutes(ctx))
    .use(accountsRoutes(ctx))
    .use(statusesRoutes(ctx))
    .use(timelinesRoutes(ctx))
    .use(instanceRoutes(ctx))
    .use(preferencesRoutes(ctx))
    .use(notificationsRoutes(ctx))
    .use(scheduledRoutes(ctx))
    .use(listsRoutes(ctx))
    .use(tagsRoutes(ctx))
    .use(filtersRoutes(ctx))
    .use(searchRoutes(ctx))
    .use(conversationsRoutes(ctx))
    .use(mediaRoutes(ctx))
    .all("/api/*", () => errorResponse(404, "Record not found"));
}

export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const query = url.indexOf("?", start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}

function notFoundPage(): Response {
  return htmlResponse(
    html`<${Layout} title="Not found"><main class="narrow"><div class="card"><h1>Not found</h1><p class="lead">There is nothing at this address.</p></div></main><//>`,
    { status: 404 },
  );
}
