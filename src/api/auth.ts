// The API's auth guard: bearer token → token, app and scopes. Errors are Mastodon's exact messages.
import type { Context } from "../context.ts";
import { ForbiddenError, UnauthorizedError, ValidationError } from "../domain/errors.ts";
import { grants } from "../oauth/scopes.ts";
import { findAccessToken, touchAccessToken, type Authenticated } from "../oauth/store.ts";

export interface Viewer extends Authenticated {
  /** The owner's account id, or null for an app token (client_credentials). */
  accountId: string | null;
}

export interface UserViewer extends Viewer {
  accountId: string;
}

const INVALID_TOKEN = () => new UnauthorizedError("The access token is invalid");

export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The viewer if a token was sent; a bad token is an error even on public routes, as in Mastodon. */
export function optionalViewer(ctx: Context, request: Request): Viewer | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const bearer = bearerToken(request);
  const found = bearer ? findAccessToken(ctx.storage, bearer) : undefined;
  if (!found) throw INVALID_TOKEN();
  touchAccessToken(ctx.storage, found.token);
  return { ...found, accountId: found.token.accountId };
}

function checkScopes(viewer: Viewer, anyOf: readonly string[]): void {
  if (anyOf.length && !anyOf.some((scope) => grants(viewer.scopes, scope))) {
    throw new ForbiddenError("This action is outside the authorized scopes");
  }
}

/** A token (user or app) holding one of `anyOf`. */
export function requireToken(ctx: Context, request: Request, anyOf: readonly string[]): Viewer {
  const viewer = optionalViewer(ctx, request);
  if (!viewer) throw INVALID_TOKEN();
  checkScopes(viewer, anyOf);
  return viewer;
}

/** A user token holding one of `anyOf`. */
export function requireUser(ctx: Context, request: Request, anyOf: readonly string[]): UserViewer {
  const viewer = requireToken(ctx, request, anyOf);
  if (!viewer.accountId) throw new ValidationError("This method requires an authenticated user");
  return viewer as UserViewer;
}

/** Public route that also honours a token's scopes when one is sent. */
export function publicOrScoped(ctx: Context, request: Request, anyOf: readonly string[]): Viewer | null {
  const viewer = optionalViewer(ctx, request);
  if (viewer) checkScopes(viewer, anyOf);
  return viewer;
}
