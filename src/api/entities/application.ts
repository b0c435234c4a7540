// Application and CredentialApplication (entities/Application.md).
import { redirectUrisOf, scopesOf, type Application } from "../../oauth/store.ts";

export function renderApplication(app: Application) {
  const redirectUris = redirectUrisOf(app);
  return {
    id: app.id,
    name: app.name,
    website: app.website,
    scopes: scopesOf(app),
    redirect_uris: redirectUris,
    redirect_uri: redirectUris.join("\n"),
  };
}

export function renderCredentialApplication(app: Application, clientSecret: string) {
  return { ...renderApplication(app), client_id: app.clientId, client_secret: clientSecret, client_secret_expires_at: 0 };
}

/** The `application` attribute of a Status: just name and website. */
export function renderStatusApplication(app: Pick<Application, "name" | "website">) {
  return { name: app.name, website: app.website };
}
