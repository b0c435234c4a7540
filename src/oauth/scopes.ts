// OAuth scopes as Mastodon defines them (api/oauth-scopes.md): high-level scopes grant their granular ones.

const READ = ["accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications", "search", "statuses"];
const WRITE = ["accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists", "media", "mutes", "notifications", "reports", "statuses"];
const ADMIN = ["accounts", "reports", "domain_allows", "domain_blocks", "ip_blocks", "email_domain_blocks", "canonical_email_blocks"];

export const SUPPORTED_SCOPES: readonly string[] = [
  "read",
  "write",
  ...WRITE.map((s) => `write:${s}`),
  ...READ.map((s) => `read:${s}`),
  "follow",
  "push",
  "profile",
  "admin:read",
  ...ADMIN.map((s) => `admin:read:${s}`),
  "admin:write",
  ...ADMIN.map((s) => `admin:write:${s}`),
];

const SUPPORTED = new Set(SUPPORTED_SCOPES);

/** The legacy `follow` scope grants these. */
const FOLLOW_GRANTS = new Set(["read:blocks", "read:follows", "read:mutes", "write:blocks", "write:follows", "write:mutes"]);

/** Splits a scope string on spaces or pluses. Undefined when any scope is unknown. */
export function parseScopes(value: string | undefined, fallback = "read"): string[] | undefined {
  const text = value?.trim() ? value : fallback;
  const scopes = [...new Set(text.split(/[\s+]+/).filter(Boolean))];
  return scopes.every((s) => SUPPORTED.has(s)) ? scopes : undefined;
}

/** Does a token holding `granted` have `required`? (`read` covers `read:statuses`, `follow` covers `write:follows`…) */
export function grants(granted: readonly string[], required: string): boolean {
  for (const g of granted) {
    if (g === required) return true;
    if (required.startsWith(`${g}:`)) return true; // read → read:statuses, admin:read → admin:read:accounts
    if (g === "follow" && FOLLOW_GRANTS.has(required)) return true;
  }
  return false;
}

/** Are all `requested` scopes within what an app registered (`allowed`)? */
export function withinScopes(allowed: readonly string[], requested: readonly string[]): boolean {
  return requested.every((r) => grants(allowed, r));
}
