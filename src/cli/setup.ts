import type { Config } from "../config.ts";
import { openContext } from "../context.ts";
import { createOwner, hasOwner, validatePassword, validateUsername } from "../domain/accounts/owner.ts";
import { DomainError } from "../domain/errors.ts";
import { UsageError, type ParsedArgs } from "./args.ts";
import { say } from "./output.ts";
import { readPassword } from "./password.ts";

export async function setupCommand(config: Config, args: ParsedArgs): Promise<number> {
  const username = typeof args.options.username === "string" ? args.options.username.trim() : "";
  if (!username) throw new UsageError("setup needs --username NAME");
  const usernameProblem = validateUsername(username);
  if (usernameProblem) throw new UsageError(usernameProblem);
  const displayName = typeof args.options["display-name"] === "string" ? args.options["display-name"] : undefined;
  const passwordFile = typeof args.options["password-file"] === "string" ? args.options["password-file"] : undefined;

  const ctx = openContext(config);
  try {
    // Checked before asking for a password, so nobody types one for nothing.
    if (hasOwner(ctx.storage)) throw new UsageError("this server already has an owner; setup creates it only once");
    const password = await readPassword(passwordFile, "Password: ");
    const passwordProblem = validatePassword(password);
    if (passwordProblem) throw new UsageError(passwordProblem);
    await createOwner(ctx, { username, displayName, password });
    say(`Created @${username}@${config.accountDomain}. Start the server with \`roost serve\` and sign in from any Mastodon app.`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) throw new UsageError(error.message);
    throw error;
  } finally {
    ctx.storage.close();
  }
}
