import type { ComponentChildren } from "preact";
import css from "../styles/base.css" with { type: "text" };
import { html } from "../html.ts";

export function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  return html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>${title}</title>
      <style dangerouslySetInnerHTML=${{ __html: css }}></style>
    </head>
    <body>
      ${children}
    </body>
  </html>`;
}
