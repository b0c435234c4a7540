// methods/apps.md
import { Elysia, t } from "elysia";
import type { Context } from "../../context.ts";
import { ValidationError } from "../../domain/errors.ts";
import { parseScopes } from "../../oauth/scopes.ts";
import { createApplication, validateRedirectUris } from "../../oauth/store.ts";
import { requireToken } from "../auth.ts";
import { renderApplication, renderCredentialApplication } from "../entities/application.ts";
import { list } from "../params.ts";
import { vapidPublicKey } from "../../push/vapid.ts";

export function appsRoutes(ctx: Context) {
  return new Elysia()
    .post(
      "/api/v1/apps",
      ({ body }) => {
        const name = body.client_name?.trim();
        if (!name) throw new ValidationError("Validation failed: Application name can't be blank");
        if (name.length > 60) throw new ValidationError("Validation failed: Application name is too long (maximum is 60 characters)");
        const redirectUris = validateRedirectUris(body.redirect_uris ?? []);
        const scopes = parseScopes(body.scopes);
        if (!scopes) throw new ValidationError("Validation failed: Scopes must be a valid set of scopes");
        let website: string | null = body.website?.trim() || null;
        if (website && !(URL.canParse(website) && /^https?:$/.test(new URL(website).protocol))) {
          throw new ValidationError("Validation failed: Website is invalid");
        }
        const { app, clientSecret } = createApplication(ctx.storage, { name, website, redirectUris, scopes });
        return renderCredentialApplication(app, clientSecret, vapidPublicKey(ctx.storage));
      },
      {
        body: t.Object({
          client_name: t.Optional(t.String({ maxLength: 1000 })),
          redirect_uris: t.Optional(list(t.String({ maxLength: 2000 }))),
          scopes: t.Optional(t.String({ maxLength: 2000 })),
          website: t.Optional(t.String({ maxLength: 2000 })),
        }),
      },
    )
    .get("/api/v1/apps/verify_credentials", ({ request }) => renderApplication(requireToken(ctx, request, []).app, vapidPublicKey(ctx.storage)));
}
