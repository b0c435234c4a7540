// CORS as Mastodon sends it: web clients (Phanpy, Elk) call the API from other origins with bearer
// tokens, never cookies, so any origin may read these paths.
const CORS_PATHS = /^\/(api\/|oauth\/(token|revoke|userinfo)$|\.well-known\/|nodeinfo\/)/;

const ALLOW_METHODS = "POST, PUT, DELETE, GET, PATCH, OPTIONS";
const EXPOSE_HEADERS = "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id, Idempotency-Key";
const DEFAULT_ALLOW_HEADERS = "Authorization, Content-Type, Idempotency-Key, Accept, X-Requested-With";

export function isCorsPath(path: string): boolean {
  return CORS_PATHS.test(path);
}

/** The answer to a preflight OPTIONS request on a CORS path. */
export function preflight(request: Request): Response {
  const requested = request.headers.get("access-control-request-headers");
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": ALLOW_METHODS,
      // Echo what the browser asks for (validated to header-name characters), like rack-cors does.
      "access-control-allow-headers": requested && /^[\w\s,-]+$/.test(requested) ? requested : DEFAULT_ALLOW_HEADERS,
      "access-control-max-age": "7200",
      vary: "Origin, Access-Control-Request-Headers",
    },
  });
}

export function addCorsHeaders(response: Response): Response {
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("access-control-expose-headers", EXPOSE_HEADERS);
  return response;
}
