import { Elysia } from "elysia";
import type { Context } from "../../src/context.ts";
import { findOwner } from "../../src/domain/accounts/owner.ts";
import { htmlResponse } from "../html.ts";
import { HomePage, NotSetUpPage } from "../pages/home.ts";

export function homeRoutes(ctx: Context) {
  return new Elysia().get("/", () => {
    const owner = findOwner(ctx.storage);
    if (!owner) return htmlResponse(NotSetUpPage());
    return htmlResponse(
      HomePage({ displayName: owner.account.displayName, handle: `@${owner.account.username}@${ctx.config.accountDomain}` }),
    );
  });
}
