// Typed errors the domain throws. Each face maps them to its own answer; the API maps them to
// Mastodon's {"error": "..."} with the status below.

export class DomainError extends Error {
  override name = "DomainError";
  readonly status: number = 400;
  constructor(
    message: string,
    /** Mastodon's optional error_description. */
    readonly description?: string,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  override name = "ValidationError";
  override readonly status = 422;
}

export class BadRequestError extends DomainError {
  override name = "BadRequestError";
  override readonly status = 400;
}

export class UnauthorizedError extends DomainError {
  override name = "UnauthorizedError";
  override readonly status = 401;
}

export class ForbiddenError extends DomainError {
  override name = "ForbiddenError";
  override readonly status = 403;
}

export class NotFoundError extends DomainError {
  override name = "NotFoundError";
  override readonly status = 404;
  constructor(message = "Record not found", description?: string) {
    super(message, description);
  }
}

export class ConflictError extends DomainError {
  override name = "ConflictError";
  override readonly status = 409;
}

export class GoneError extends DomainError {
  override name = "GoneError";
  override readonly status = 410;
}

export class PayloadTooLargeError extends DomainError {
  override name = "PayloadTooLargeError";
  override readonly status = 413;
}

export class RateLimitError extends DomainError {
  override name = "RateLimitError";
  override readonly status = 429;
  constructor(
    message = "Too many requests",
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
