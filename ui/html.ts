// htm bound to Preact, and a renderer that returns a whole HTML document as a Response.
import { Fragment, h, type VNode } from "preact";
import htm from "htm";
import { renderToString } from "preact-render-to-string";

export const html = htm.bind(h);

/** `formTargets`: where forms on the page may lead (the OAuth consent form redirects to the app). */
export function htmlResponse(page: VNode | VNode[], init: ResponseInit = {}, formTargets: string[] = []): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "text/html; charset=utf-8");
  // Our pages carry no third-party content; keep them from being framed or sniffed.
  headers.set("x-frame-options", "DENY");
  headers.set("x-content-type-options", "nosniff");
  headers.set("referrer-policy", "same-origin");
  const formAction = ["'self'", ...formTargets].join(" ");
  headers.set("content-security-policy", `default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'; form-action ${formAction}`);
  return new Response("<!doctype html>" + renderToString(Array.isArray(page) ? h(Fragment, null, page) : page), { ...init, headers });
}
