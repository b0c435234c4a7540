// Request body limits: media uploads may be large, everything else stays small.
import type { Config } from "../config.ts";
import { errorResponse } from "./errors.ts";

const MEDIA_PATHS = [/^\/api\/v[12]\/media(\/|$)/, /^\/api\/v1\/accounts\/update_credentials$/];

export function bodyLimitFor(config: Config, path: string): number {
  return MEDIA_PATHS.some((re) => re.test(path))
    ? Math.max(config.limits.imageBytes, config.limits.videoBytes) + 1024 * 1024 // multipart overhead
    : config.limits.bodyBytes;
}

/** The hard cap Bun enforces while reading any body (also for bodies sent without Content-Length). */
export function maxRequestBodySize(config: Config): number {
  return Math.max(config.limits.imageBytes, config.limits.videoBytes, config.limits.bodyBytes) + 1024 * 1024;
}

/** A 413 when the declared body is over the route's limit; undefined to go on. */
export function checkBodySize(config: Config, request: Request, path: string): Response | undefined {
  const length = request.headers.get("content-length");
  if (length === null) return undefined;
  const limit = bodyLimitFor(config, path);
  if (!/^\d+$/.test(length)) return errorResponse(400, "Invalid Content-Length");
  if (Number(length) > limit) return errorResponse(413, `Request body too large (limit ${limit} bytes)`);
  return undefined;
}
