import { expect, test } from "bun:test";
import { ForbiddenError, NotFoundError, RateLimitError, UnauthorizedError, ValidationError } from "../../src/domain/errors.ts";
import { responseForError } from "../../src/http/errors.ts";

const request = new Request("http://localhost/api/v1/statuses");

test("typed domain errors become Mastodon errors with their status", async () => {
  const cases: [Error, number, object][] = [
    [new ValidationError("Validation failed: Text can't be blank"), 422, { error: "Validation failed: Text can't be blank" }],
    [new UnauthorizedError("The access token is invalid"), 401, { error: "The access token is invalid" }],
    [new ForbiddenError("This action is outside the authorized scopes"), 403, { error: "This action is outside the authorized scopes" }],
    [new NotFoundError(), 404, { error: "Record not found" }],
    [new UnauthorizedError("invalid_grant", "The provided authorization grant is invalid"), 401, { error: "invalid_grant", error_description: "The provided authorization grant is invalid" }],
  ];
  for (const [error, status, body] of cases) {
    const res = responseForError("UNKNOWN", error, request);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
  }
});

test("rate limits carry Retry-After", () => {
  const res = responseForError("UNKNOWN", new RateLimitError("Too many requests", 30), request);
  expect(res.status).toBe(429);
  expect(res.headers.get("retry-after")).toBe("30");
});

test("framework errors map to 4xx, and anything else to a 500 without internals", async () => {
  expect(responseForError("PARSE", new Error("Unexpected token"), request).status).toBe(400);
  expect(responseForError("VALIDATION", { all: [{ path: "/limit", summary: "Expected number" }] }, request).status).toBe(422);
  const res = responseForError("UNKNOWN", new Error("SQLITE_CORRUPT at /secret/path"), request);
  expect(res.status).toBe(500);
  expect(await res.json()).toEqual({ error: "Internal server error" });
});
