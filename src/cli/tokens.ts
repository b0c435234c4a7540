// `roost token`: access tokens for scripts and bots, like Mastodon's Development settings page.
import type { Config } from "../config.ts";
import { openStorage } from "../db/client.ts";
import { findOwner } from "../domain/accounts/owner.ts";
import { parseScopes } from "../oauth/scopes.ts";
import { createApplication, issueAccessToken, listAccessTokens, OOB_REDIRECT, revokeTokenById } from "../oauth/store.ts";
import { UsageError, type ParsedArgs } from "./args.ts";
import { say } from "./output.ts";

export function tokenCommand(config: Config, args: ParsedArgs): number {
  const [action, ...rest] = args.positionals;
  const storage = openStorage(config.dataDir);
  try {
    switch (action) {
      case "create": {
        const name = typeof args.options.app === "string" ? args.options.app.trim() : "";
        if (!name) throw new UsageError('token create needs --app NAME');
        const scopes = parseScopes(typeof args.options.scopes === "string" ? args.options.scopes : undefined);
        if (!scopes) throw new UsageError(`--scopes has an unknown scope; use e.g. "read write follow push"`);
        const owner = findOwner(storage);
        if (!owner) throw new UsageError("this server has no owner yet; run `roost setup` first");
        const { app } = createApplication(storage, { name, redirectUris: [OOB_REDIRECT], scopes });
        const { token } = issueAccessToken(storage, app.id, owner.account.id, scopes);
        say(token);
        return 0;
      }
      case "list": {
        for (const { token, appName } of listAccessTokens(storage)) {
          const used = token.lastUsedAt ? new Date(token.lastUsedAt).toISOString() : "never";
          say(`${token.id}  ${appName}  ${token.scopes}  created ${new Date(token.createdAt).toISOString()}  last used ${used}${token.accountId ? "" : "  (app token)"}`);
        }
        return 0;
      }
      case "revoke": {
        if (!rest.length) throw new UsageError("token revoke needs token ids (see `roost token list`)");
        for (const id of rest) {
          if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not a token id`);
          say(revokeTokenById(storage, id) ? `Revoked ${id}.` : `No live token ${id}.`);
        }
        return 0;
      }
      default:
        throw new UsageError(`token needs an action: create, list or revoke`);
    }
  } finally {
    storage.close();
  }
}
