// The one-time setup page: creates the owner when the server starts with none.
import { Layout } from "../components/layout.ts";
import { html } from "../html.ts";

export interface SetupPageProps {
  secret: string;
  accountDomain: string;
  error?: string;
  values?: { username?: string; displayName?: string };
}

export function SetupPage({ secret, accountDomain, error, values = {} }: SetupPageProps) {
  return html`<${Layout} title="Set up Roost">
    <main class="narrow">
      <div class="card">
        <h1>Welcome to Roost</h1>
        <p class="lead">Create the account that owns this server. You will be <span class="handle">@username@${accountDomain}</span> on the fediverse.</p>
        ${error ? html`<div class="error" role="alert">${error}</div>` : null}
        <form method="post" action="/setup">
          <input type="hidden" name="secret" value=${secret} />
          <label for="username">Username <small>letters, digits, underscores</small></label>
          <input id="username" name="username" type="text" required maxlength="30" autocomplete="username"
            pattern="[A-Za-z0-9_]+([A-Za-z0-9_.\\-]+[A-Za-z0-9_]+)?" value=${values.username ?? ""} />
          <label for="display_name">Display name <small>optional</small></label>
          <input id="display_name" name="display_name" type="text" maxlength="30" value=${values.displayName ?? ""} />
          <label for="password">Password <small>at least 8 characters</small></label>
          <input id="password" name="password" type="password" required minlength="8" autocomplete="new-password" />
          <label for="password_confirmation">Password again</label>
          <input id="password_confirmation" name="password_confirmation" type="password" required minlength="8" autocomplete="new-password" />
          <button type="submit">Create my account</button>
        </form>
      </div>
    </main>
  <//>`;
}

export function SetupDonePage({ handle, profileUrl }: { handle: string; profileUrl: string }) {
  return html`<${Layout} title="Roost is ready">
    <main class="narrow">
      <div class="card">
        <h1>You are all set</h1>
        <p class="lead">Your account <span class="handle">${handle}</span> exists. Sign in from any Mastodon app with this server's address.</p>
        <p><a href=${profileUrl}>${profileUrl}</a></p>
      </div>
    </main>
  <//>`;
}
