// The one error layer: typed domain errors and framework errors become Mastodon-style JSON
// ({"error": "...", "error_description"?: "..."}) with the right status. Never a stack trace.
import { getLogger } from "@logtape/logtape";
import { InvalidIdError } from "../db/ids.ts";
import { DomainError, RateLimitError } from "../domain/errors.ts";

const log = getLogger(["roost", "http"]);

export function errorResponse(status: number, error: string, description?: string, headers?: HeadersInit): Response {
  const body: { error: string; error_description?: string } = { error };
  if (description) body.error_description = description;
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: h });
}

/** Maps whatever a handler threw to a response. `code` is Elysia's error code when it has one. */
export function responseForError(code: string | number, error: unknown, request: Request): Response {
  if (error instanceof InvalidIdError) return errorResponse(404, "Record not found");
  if (error instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (error instanceof RateLimitError && error.retryAfterSeconds) headers["retry-after"] = String(error.retryAfterSeconds);
    return errorResponse(error.status, error.message, error.description, headers);
  }
  switch (code) {
    case "NOT_FOUND":
      return errorResponse(404, "Record not found");
    case "VALIDATION":
      return errorResponse(422, `Validation failed: ${validationSummary(error)}`);
    case "PARSE":
      return errorResponse(400, "The request body could not be parsed");
    case "INVALID_COOKIE_SIGNATURE":
    case "INVALID_FILE_TYPE":
      return errorResponse(400, (error as Error).message || "Bad request");
  }
  const status = typeof (error as { status?: unknown })?.status === "number" ? (error as { status: number }).status : 500;
  if (status >= 400 && status < 500) return errorResponse(status, (error as Error).message || "Bad request");
  log.error("Unhandled error on {method} {path}: {error}", {
    method: request.method,
    path: new URL(request.url).pathname,
    error,
  });
  return errorResponse(500, "Internal server error");
}

function validationSummary(error: unknown): string {
  const e = error as { all?: { path?: string; message?: string; summary?: string }[]; message?: string };
  const first = e.all?.[0];
  if (first) {
    const field = (first.path ?? "").replace(/^\//, "").replace(/\//g, ".");
    return field ? `${field} ${first.summary ?? first.message ?? "is invalid"}` : first.summary ?? first.message ?? "invalid input";
  }
  return "invalid input";
}
