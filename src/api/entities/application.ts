// Application and CredentialApplication (entities/Application.md).
import { redirectUrisOf, scopesOf, type Application } from "../../oauth/store.ts";

/** `vapidKey` is the server's Web Push public key (deprecated in the entity, still required by apps). */
export function renderApplication(app: Application, vapidKey: string) {
  const redirectUris = redirectUrisOf(app);
  return {
    id: app.id,
    name: app.name,
    website: app.website,
    scopes: scopesOf(app),
    redirect_uris: redirectUris,
    redirect_uri: redirectUris.join("\n"),
    vapid_key: vapidKey,
  };
}

export function renderCredentialApplication(app: Application, clientSecret: string, vapidKey: string) {
  return { ...renderApplication(app, vapidKey), client_id: app.clientId, client_secret: clientSecret, client_secret_expires_at: 0 };
}

/** The `application` attribute of a Status: just name and website. */
export function renderStatusApplication(app: Pick<Application, "name" | "website">) {
  return { name: app.name, website: app.website };
}
