// The one-time setup flow. `roost serve` with no owner prints /setup?secret=…; only that secret,
// compared in constant time, lets the page create the owner. The secret dies with the first owner.
import { Elysia } from "elysia";
import { timingSafeEqual } from "node:crypto";
import type { Context } from "../../src/context.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { createOwner, hasOwner } from "../../src/domain/accounts/owner.ts";
import { Layout } from "../components/layout.ts";
import { html, htmlResponse } from "../html.ts";
import { SetupDonePage, SetupPage } from "../pages/setup.ts";

export class SetupGate {
  constructor(private secret: string | null) {}

  static random(): SetupGate {
    return new SetupGate(Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url"));
  }

  get open(): boolean {
    return this.secret !== null;
  }

  url(publicUrl: URL): string | null {
    return this.secret ? new URL(`/setup?secret=${this.secret}`, publicUrl).href : null;
  }

  accepts(candidate: unknown): boolean {
    if (!this.secret || typeof candidate !== "string") return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.secret);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  close(): void {
    this.secret = null;
  }
}

function messagePage(title: string, message: string, status: number): Response {
  return htmlResponse(
    html`<${Layout} title=${title}><main class="narrow"><div class="card"><h1>${title}</h1><p class="lead">${message}</p></div></main><//>`,
    { status },
  );
}

export function setupRoutes(ctx: Context, gate: SetupGate) {
  const refuse = () =>
    hasOwner(ctx.storage)
      ? messagePage("Already set up", "This server already has its owner.", 410)
      : messagePage("This setup link is not valid", "Use the link with the secret that `roost serve` printed when it started.", 403);

  return new Elysia()
    .get("/setup", ({ query }) => {
      if (hasOwner(ctx.storage) || !gate.accepts(query.secret)) return refuse();
      return htmlResponse(SetupPage({ secret: query.secret as string, accountDomain: ctx.config.accountDomain }));
    })
    .post("/setup", async ({ request, body }) => {
      const type = request.headers.get("content-type") ?? "";
      if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
        return messagePage("Unsupported form", "Send the setup form from the setup page.", 415);
      }
      const form = (body ?? {}) as Record<string, unknown>;
      const field = (name: string) => {
        const v = form[name];
        return typeof v === "string" ? v : "";
      };
      const secret = field("secret");
      if (hasOwner(ctx.storage) || !gate.accepts(secret)) return refuse();
      const values = { username: field("username").trim(), displayName: field("display_name").trim() };
      const again = (error: string) =>
        htmlResponse(SetupPage({ secret, accountDomain: ctx.config.accountDomain, error, values }), { status: 422 });
      if (field("password") !== field("password_confirmation")) return again("The two passwords are not the same.");
      try {
        await createOwner(ctx, { username: values.username, displayName: values.displayName, password: field("password") });
      } catch (error) {
        if (error instanceof DomainError) return again(capitalize(error.message) + ".");
        throw error;
      }
      gate.close();
      return htmlResponse(
        SetupDonePage({
          handle: `@${values.username}@${ctx.config.accountDomain}`,
          profileUrl: new URL(`/@${values.username}`, ctx.config.publicUrl).href,
        }),
        { status: 201 },
      );
    });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
