// The OAuth consent page (with a password field when the owner is not signed in), and the
// out-of-band page that shows an authorization code to copy into an app.
import { Layout } from "../components/layout.ts";
import { html } from "../html.ts";

const SCOPE_LABELS: Record<string, string> = {
  read: "Read all your account's data",
  write: "Change all your account's data",
  follow: "Follow, mute and block accounts",
  push: "Receive your push notifications",
  profile: "Read only your account's basic information",
  "admin:read": "Read data on the server",
  "admin:write": "Moderate the server",
};

export function describeScope(scope: string): string {
  if (SCOPE_LABELS[scope]) return SCOPE_LABELS[scope]!;
  const [kind, what] = scope.split(":");
  return `${kind === "read" ? "Read" : kind === "write" ? "Change" : kind} your ${(what ?? "").replace(/_/g, " ")}`;
}

export interface AuthorizePageProps {
  appName: string;
  appWebsite: string | null;
  handle: string;
  scopes: string[];
  needsPassword: boolean;
  /** Hidden fields that carry the authorization request through the form post. */
  fields: Record<string, string>;
  csrf: string;
  error?: string;
}

export function AuthorizePage(p: AuthorizePageProps) {
  return html`<${Layout} title=${`Authorize ${p.appName}`}>
    <main class="narrow">
      <div class="card">
        <h1>Authorize ${p.appName}?</h1>
        <p class="lead">
          ${p.appWebsite ? html`<a href=${p.appWebsite} rel="noopener noreferrer">${p.appName}</a>` : p.appName} wants to use
          <span class="handle"> ${p.handle}</span>. It will be able to:
        </p>
        <ul class="scopes">
          ${p.scopes.map((s) => html`<li><strong>${describeScope(s)}</strong> <small class="handle">${s}</small></li>`)}
        </ul>
        ${p.error ? html`<div class="error" role="alert">${p.error}</div>` : null}
        <form method="post" action="/oauth/authorize">
          ${Object.entries(p.fields).map(([name, value]) => html`<input type="hidden" name=${name} value=${value} />`)}
          <input type="hidden" name="csrf" value=${p.csrf} />
          ${p.needsPassword
            ? html`<label for="password">Your password</label>
                <input id="password" name="password" type="password" required autocomplete="current-password" autofocus />`
            : null}
          <button type="submit" name="decision" value="approve">Authorize</button>
          <button type="submit" name="decision" value="deny" class="secondary" formnovalidate>Deny</button>
        </form>
      </div>
    </main>
  <//>`;
}

export function AuthorizationCodePage({ appName, code }: { appName: string; code: string }) {
  return html`<${Layout} title="Authorization code">
    <main class="narrow">
      <div class="card">
        <h1>Authorization code</h1>
        <p class="lead">Copy this code and paste it into ${appName}.</p>
        <input type="text" readonly value=${code} id="code" class="handle" onfocus="this.select()" />
      </div>
    </main>
  <//>`;
}

export function OAuthErrorPage({ title, message }: { title: string; message: string }) {
  return html`<${Layout} title=${title}>
    <main class="narrow">
      <div class="card">
        <h1>${title}</h1>
        <p class="lead">${message}</p>
      </div>
    </main>
  <//>`;
}
