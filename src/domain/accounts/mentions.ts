// Turns @user / @user@domain in text into known accounts (the owner, or remote accounts Roost has seen).
import type { Context } from "../../context.ts";
import type { MentionTarget } from "../../text/format.ts";
import { findAccountByAcct, type AccountRow } from "./queries.ts";

export function localDomains(ctx: Context): string[] {
  return [...new Set([ctx.config.accountDomain, ctx.config.publicUrl.host].map((d) => d.toLowerCase()))];
}

export interface ResolvedMention extends MentionTarget {
  account: AccountRow;
}

export function mentionResolver(ctx: Context): (username: string, domain: string | null) => ResolvedMention | undefined {
  const domains = localDomains(ctx);
  return (username, domain) => {
    const account = findAccountByAcct(ctx.storage, domain ? `${username}@${domain}` : username, domains);
    if (!account) return undefined;
    return { url: account.url ?? account.uri, username: account.username, domain: account.domain, account };
  };
}
