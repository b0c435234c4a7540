// methods/accounts.md (statuses of an account live in statuses.ts), mutes.md, blocks.md, follow_requests.md
import { Elysia, t } from "elysia";
import { and, count, eq, inArray } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { blocks, followRequests, follows, mutes } from "../../db/schema.ts";
import { findOwner } from "../../domain/accounts/owner.ts";
import { updateProfile } from "../../domain/accounts/profile.ts";
import { findAccountByAcct, findAccounts, getAccount } from "../../domain/accounts/queries.ts";
import { localDomains } from "../../domain/accounts/mentions.ts";
import {
  authorizeFollowRequest,
  blockAccount,
  followAccount,
  muteAccount,
  rejectFollowRequest,
  relationships,
  removeFollower,
  setAccountNote,
  unblockAccount,
  unfollowAccount,
  unmuteAccount,
} from "../../domain/accounts/relationships.ts";
import { NotFoundError } from "../../domain/errors.ts";
import { publicOrScoped, requireUser } from "../auth.ts";
import { renderAccount, renderCredentialAccount } from "../entities/account.ts";
import { accountPage } from "../pages.ts";
import { pageQuery, type readPage } from "../pagination.ts";
import { flag, integer, list } from "../params.ts";

const READ_ACCOUNTS = ["read:accounts"];
const READ_FOLLOWS = ["read:follows"];
const WRITE_FOLLOWS = ["write:follows"];

export function credentialAccount(ctx: Context, accountId: string) {
  const owner = findOwner(ctx.storage);
  if (!owner || owner.account.id !== accountId) throw new NotFoundError();
  const requests = ctx.storage.db.select({ n: count() }).from(followRequests).where(eq(followRequests.targetAccountId, accountId)).get()!.n;
  return renderCredentialAccount(ctx.config, owner.account, owner.user, requests);
}

export function accountsRoutes(ctx: Context) {
  const { db } = ctx.storage;

  const ownCollection = (request: Request, targetId: string, direction: "followers" | "following", query: Parameters<typeof readPage>[0]) => {
    const viewer = publicOrScoped(ctx, request, READ_ACCOUNTS);
    const target = getAccount(ctx.storage, targetId);
    // Someone who hides their collections shows them only to themselves.
    if (target.hideCollections && viewer?.accountId !== target.id) return Response.json([]);
    return direction === "followers"
      ? accountPage(ctx, request, query, follows, eq(follows.targetAccountId, target.id), { accountColumn: "accountId" })
      : accountPage(ctx, request, query, follows, eq(follows.accountId, target.id), { accountColumn: "targetAccountId" });
  };

  return new Elysia()
    .get("/api/v1/accounts/verify_credentials", ({ request }) => {
      const viewer = requireUser(ctx, request, ["profile", ...READ_ACCOUNTS]);
      return credentialAccount(ctx, viewer.accountId);
    })
    .patch(
      "/api/v1/accounts/update_credentials",
      async ({ request, body }) => {
        const viewer = requireUser(ctx, request, ["write:accounts"]);
        const fields = body.fields_attributes === undefined ? undefined : Array.isArray(body.fields_attributes) ? body.fields_attributes : Object.entries(body.fields_attributes).sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
        await updateProfile(ctx, viewer.accountId, {
          displayName: body.display_name,
          note: body.note,
          avatar: body.avatar instanceof File ? body.avatar : undefined,
          header: body.header instanceof File ? body.header : undefined,
          locked: body.locked,
          bot: body.bot,
          discoverable: body.discoverable,
          hideCollections: body.hide_collections,
          indexable: body.indexable,
          fields: fields?.map((f) => ({ name: f.name ?? "", value: f.value ?? "" })),
          privacy: body.source?.privacy,
          sensitive: body.source?.sensitive,
          language: body.source?.language,
        });
        return credentialAccount(ctx, viewer.accountId);
      },
      {
        body: t.Object({
          display_name: t.Optional(t.String()),
          note: t.Optional(t.String()),
          avatar: t.Optional(t.Union([t.File(), t.String()])),
          header: t.Optional(t.Union([t.File(), t.String()])),
          locked: t.Optional(flag()),
          bot: t.Optional(flag()),
          discoverable: t.Optional(flag()),
          hide_collections: t.Optional(flag()),
          indexable: t.Optional(flag()),
          attribution_domains: t.Optional(list(t.String())),
          fields_attributes: t.Optional(
            t.Union([
              t.Array(t.Object({ name: t.Optional(t.String()), value: t.Optional(t.String()) })),
              t.Record(t.String({ pattern: "^\\d+$" }), t.Object({ name: t.Optional(t.String()), value: t.Optional(t.String()) })),
            ]),
          ),
          source: t.Optional(t.Object({ privacy: t.Optional(t.String()), sensitive: t.Optional(flag()), language: t.Optional(t.String()) })),
        }),
      },
    )
    .get(
      "/api/v1/accounts/lookup",
      ({ request, query }) => {
        publicOrScoped(ctx, request, READ_ACCOUNTS);
        const account = findAccountByAcct(ctx.storage, query.acct, localDomains(ctx));
        if (!account || account.suspendedAt !== null) throw new NotFoundError();
        return renderAccount(ctx.config, account);
      },
      { query: t.Object({ acct: t.String({ minLength: 1, maxLength: 300 }) }) },
    )
    .get(
      "/api/v1/accounts/relationships",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, READ_FOLLOWS);
        const known = findAccounts(ctx.storage, query.id ?? []);
        const ids = (query.id ?? []).filter((i) => known.has(i) && (query.with_suspended || known.get(i)!.suspendedAt === null));
        return relationships(ctx.storage, viewer.accountId, ids);
      },
      { query: t.Object({ id: t.Optional(list(t.String())), with_suspended: t.Optional(flag()) }) },
    )
    .get(
      "/api/v1/accounts/familiar_followers",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, READ_FOLLOWS);
        const ids = [...new Set(query.id ?? [])];
        const known = findAccounts(ctx.storage, ids);
        // Accounts the owner follows that also follow each target.
        const mine = db.select({ id: follows.targetAccountId }).from(follows).where(eq(follows.accountId, viewer.accountId)).all().map((r) => r.id);
        return ids.filter((i) => known.has(i)).map((target) => {
          const familiar = mine.length
            ? db.select({ id: follows.accountId }).from(follows).where(and(eq(follows.targetAccountId, target), inArray(follows.accountId, mine))).all().map((r) => r.id)
            : [];
          const rows = findAccounts(ctx.storage, familiar);
          return { id: target, accounts: familiar.flatMap((f) => (rows.has(f) ? [renderAccount(ctx.config, rows.get(f)!)] : [])) };
        });
      },
      { query: t.Object({ id: t.Optional(list(t.String())) }) },
    )
    .get(
      "/api/v1/accounts",
      ({ request, query }) => {
        publicOrScoped(ctx, request, READ_ACCOUNTS);
        const rows = findAccounts(ctx.storage, query.id ?? []);
        return (query.id ?? []).flatMap((i) => (rows.has(i) && rows.get(i)!.suspendedAt === null ? [renderAccount(ctx.config, rows.get(i)!)] : []));
      },
      { query: t.Object({ id: t.Optional(list(t.String())) }) },
    )
    .get("/api/v1/accounts/:id", ({ request, params }) => {
      publicOrScoped(ctx, request, READ_ACCOUNTS);
      return renderAccount(ctx.config, getAccount(ctx.storage, params.id));
    })
    .get("/api/v1/accounts/:id/followers", ({ request, params, query }) => ownCollection(request, params.id, "followers", query), { query: t.Object(pageQuery) })
    .get("/api/v1/accounts/:id/following", ({ request, params, query }) => ownCollection(request, params.id, "following", query), { query: t.Object(pageQuery) })
    .post(
      "/api/v1/accounts/:id/follow",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, WRITE_FOLLOWS);
        return followAccount(ctx, viewer.accountId, params.id, { reblogs: body?.reblogs, notify: body?.notify, languages: body?.languages });
      },
      { body: t.Optional(t.Object({ reblogs: t.Optional(flag()), notify: t.Optional(flag()), languages: t.Optional(list(t.String({ pattern: "^[a-z]{2,3}$" }))) })) },
    )
    .post("/api/v1/accounts/:id/unfollow", ({ request, params }) => unfollowAccount(ctx, requireUser(ctx, request, WRITE_FOLLOWS).accountId, params.id))
    .post("/api/v1/accounts/:id/remove_from_followers", ({ request, params }) => removeFollower(ctx, requireUser(ctx, request, WRITE_FOLLOWS).accountId, params.id))
    .post("/api/v1/accounts/:id/block", ({ request, params }) => blockAccount(ctx, requireUser(ctx, request, ["write:blocks"]).accountId, params.id))
    .post("/api/v1/accounts/:id/unblock", ({ request, params }) => unblockAccount(ctx, requireUser(ctx, request, ["write:blocks"]).accountId, params.id))
    .post(
      "/api/v1/accounts/:id/mute",
      ({ request, params, body }) => {
        const viewer = requireUser(ctx, request, ["write:mutes"]);
        return muteAccount(ctx, viewer.accountId, params.id, { notifications: body?.notifications, durationSeconds: body?.duration });
      },
      { body: t.Optional(t.Object({ notifications: t.Optional(flag()), duration: t.Optional(integer({ minimum: 0 })) })) },
    )
    .post("/api/v1/accounts/:id/unmute", ({ request, params }) => unmuteAccount(ctx, requireUser(ctx, request, ["write:mutes"]).accountId, params.id))
    .post(
      "/api/v1/accounts/:id/note",
      ({ request, params, body }) => setAccountNote(ctx, requireUser(ctx, request, ["write:accounts"]).accountId, params.id, body?.comment ?? ""),
      { body: t.Optional(t.Object({ comment: t.Optional(t.String()) })) },
    )
    .get(
      "/api/v1/mutes",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:mutes"]);
        return accountPage(ctx, request, query, mutes, eq(mutes.accountId, viewer.accountId), {
          accountColumn: "targetAccountId",
          extra: (m) => ({ mute_expires_at: m.expiresAt === null ? null : new Date(m.expiresAt).toISOString() }),
        });
      },
      { query: t.Object(pageQuery) },
    )
    .get(
      "/api/v1/blocks",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, ["read:blocks"]);
        return accountPage(ctx, request, query, blocks, eq(blocks.accountId, viewer.accountId), { accountColumn: "targetAccountId" });
      },
      { query: t.Object(pageQuery) },
    )
    .get(
      "/api/v1/follow_requests",
      ({ request, query }) => {
        const viewer = requireUser(ctx, request, READ_FOLLOWS);
        return accountPage(ctx, request, query, followRequests, eq(followRequests.targetAccountId, viewer.accountId), { accountColumn: "accountId" });
      },
      { query: t.Object(pageQuery) },
    )
    .post("/api/v1/follow_requests/:id/authorize", ({ request, params }) => authorizeFollowRequest(ctx, requireUser(ctx, request, WRITE_FOLLOWS).accountId, params.id))
    .post("/api/v1/follow_requests/:id/reject", ({ request, params }) => rejectFollowRequest(ctx, requireUser(ctx, request, WRITE_FOLLOWS).accountId, params.id));
}

