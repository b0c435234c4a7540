// The server's front page: whose home this is, and how to follow them.
import { Layout } from "../components/layout.ts";
import { html } from "../html.ts";

export function HomePage({ displayName, handle }: { displayName: string; handle: string }) {
  return html`<${Layout} title=${displayName || handle}>
    <main class="narrow">
      <div class="card">
        <h1>${displayName || handle}</h1>
        <p class="lead">This is <span class="handle">${handle}</span>'s own home on the fediverse. Search for that handle from your server to follow.</p>
      </div>
    </main>
  <//>`;
}

export function NotSetUpPage() {
  return html`<${Layout} title="Roost">
    <main class="narrow">
      <div class="card">
        <h1>Roost</h1>
        <p class="lead">This server has no owner yet. Its operator finds the one-time setup link in the server's log.</p>
      </div>
    </main>
  <//>`;
}
