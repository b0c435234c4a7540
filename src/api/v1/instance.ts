// methods/instance.md (v1 and v2, peers, activity, rules, extended description), custom_emojis.md,
// trends.md, announcements.md, suggestions.md. A one-person server answers these truthfully: one
// user, no registrations, no rules yet, no trends or announcements.
import { Elysia } from "elysia";
import { and, count, eq, gte, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import pkg from "../../../package.json" with { type: "json" };
import type { Context } from "../../context.ts";
import { accounts, oauthAccessTokens, statuses, webSessions } from "../../db/schema.ts";
import { findOwner } from "../../domain/accounts/owner.ts";
import { MAX_MEDIA, POLL_LIMITS } from "../../domain/statuses/posting.ts";
import { MAX_PINS } from "../../domain/statuses/interactions.ts";
import { vapidPublicKey } from "../../push/vapid.ts";
import { MISSING_HEADER_PATH } from "../../../ui/routes/assets.ts";
import { publicOrScoped } from "../auth.ts";
import { renderAccount } from "../entities/account.ts";

/** Clients read features from the version: we speak the 4.5 API. */
export const MASTODON_VERSION = `4.5.0 (compatible; Roost ${pkg.version})`;
const SUPPORTED_IMAGE_TYPES = ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heic", "image/heif"];
const IMAGE_MATRIX_LIMIT = 3840 * 3840;

export function instanceRoutes(ctx: Context) {
  const { db } = ctx.storage;
  const base = ctx.config.publicUrl.origin;
  const streaming = base.replace(/^http/, "ws");

  const common = () => {
    const owner = findOwner(ctx.storage);
    const title = owner ? owner.account.displayName || `@${owner.account.username}` : "Roost";
    const description = owner ? `The fediverse home of @${owner.account.username}@${ctx.config.accountDomain}` : "A Roost server that is not set up yet";
    const thumbnail = owner?.account.headerUrl ?? base + MISSING_HEADER_PATH;
    const languages = [owner?.user.defaultLanguage ?? "en"];
    const contact = owner ? renderAccount(ctx.config, owner.account) : null;
    return { owner, title, description, thumbnail, languages, contact, email: owner?.user.email ?? "" };
  };

  const limits = () => ({
    statuses: { max_characters: ctx.config.limits.statusCharacters, max_media_attachments: MAX_MEDIA, characters_reserved_per_url: 23 },
    media_attachments: {
      supported_mime_types: SUPPORTED_IMAGE_TYPES,
      description_limit: 1500,
      image_size_limit: ctx.config.limits.imageBytes,
      image_matrix_limit: IMAGE_MATRIX_LIMIT,
      video_size_limit: ctx.config.limits.videoBytes,
      video_frame_rate_limit: 60,
      video_matrix_limit: 2304000,
    },
    polls: {
      max_options: POLL_LIMITS.maxOptions,
      max_characters_per_option: POLL_LIMITS.maxOptionChars,
      min_expiration: POLL_LIMITS.minExpiration,
      max_expiration: POLL_LIMITS.maxExpiration,
    },
  });

  return new Elysia()
    .get("/api/v2/instance", () => {
      const c = common();
      return {
        domain: ctx.config.accountDomain,
        title: c.title,
        version: MASTODON_VERSION,
        // No public repository address is published yet; the server itself is the best pointer.
        source_url: `${base}/`,
        description: c.description,
        usage: { users: { active_month: c.owner ? 1 : 0 } },
        thumbnail: { url: c.thumbnail },
        icon: [],
        languages: c.languages,
        configuration: {
          urls: { streaming, status: null, about: `${base}/`, privacy_policy: null, terms_of_service: null },
          vapid: { public_key: vapidPublicKey(ctx.storage) },
          accounts: {
            max_featured_tags: 10,
            max_pinned_statuses: MAX_PINS,
            max_display_name_length: 30,
            max_note_length: 500,
            max_profile_fields: 4,
            profile_field_name_limit: 255,
            profile_field_value_limit: 255,
          },
          ...limits(),
          translation: { enabled: false },
          limited_federation: false,
        },
        registrations: { enabled: false, approval_required: false, reason_required: false, message: null, min_age: null, url: null },
        api_versions: { mastodon: 7 }, // 4.5.0
        contact: { email: c.email, account: c.contact },
        rules: [],
      };
    })
    .get("/api/v1/instance", () => {
      const c = common();
      const localStatuses = db.select({ n: count() }).from(statuses).where(and(eq(statuses.local, true), isNull(statuses.reblogOfId))).get()!.n;
      const domains = db.select({ n: sql<number>`count(DISTINCT ${accounts.domain})` }).from(accounts).where(isNotNull(accounts.domain)).get()!.n;
      return {
        uri: ctx.config.accountDomain,
        title: c.title,
        short_description: c.description,
        description: c.description,
        email: c.email,
        version: MASTODON_VERSION,
        urls: { streaming_api: streaming },
        stats: { user_count: c.owner ? 1 : 0, status_count: localStatuses, domain_count: domains },
        thumbnail: c.thumbnail,
        languages: c.languages,
        registrations: false,
        approval_required: false,
        invites_enabled: false,
        configuration: { accounts: { max_featured_tags: 10 }, ...limits() },
        contact_account: c.contact,
        rules: [],
      };
    })
    .get("/api/v1/instance/peers", () =>
      db.selectDistinct({ domain: accounts.domain }).from(accounts).where(isNotNull(accounts.domain)).orderBy(accounts.domain).all().map((r) => r.domain!),
    )
    .get("/api/v1/instance/activity", () => {
      // Twelve weeks, newest first: local posts, sign-ins (sessions and tokens used), registrations.
      const weekMs = 7 * 24 * 3600 * 1000;
      const now = new Date();
      const monday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7));
      const owner = findOwner(ctx.storage);
      return Array.from({ length: 12 }, (_, i) => {
        const start = monday - i * weekMs;
        const end = start + weekMs;
        const posted = db.select({ n: count() }).from(statuses).where(and(eq(statuses.local, true), isNull(statuses.reblogOfId), gte(statuses.createdAt, start), lt(statuses.createdAt, end))).get()!.n;
        const session = db.select({ n: count() }).from(webSessions).where(and(gte(webSessions.createdAt, start), lt(webSessions.createdAt, end))).get()!.n;
        const token = db
          .select({ n: count() })
          .from(oauthAccessTokens)
          .where(and(isNotNull(oauthAccessTokens.accountId), or(and(gte(oauthAccessTokens.createdAt, start), lt(oauthAccessTokens.createdAt, end)), and(gte(oauthAccessTokens.lastUsedAt, start), lt(oauthAccessTokens.lastUsedAt, end)))))
          .get()!.n;
        const registered = owner && owner.user.createdAt >= start && owner.user.createdAt < end ? 1 : 0;
        return { week: String(Math.floor(start / 1000)), statuses: String(posted), logins: String(session + token > 0 ? 1 : 0), registrations: String(registered) };
      });
    })
    .get("/api/v1/instance/rules", () => [])
    .get("/api/v1/instance/domain_blocks", () => [])
    .get("/api/v1/instance/translation_languages", () => ({}))
    .get("/api/v1/instance/extended_description", () => {
      const owner = findOwner(ctx.storage);
      return { updated_at: new Date(owner?.account.updatedAt ?? 0).toISOString(), content: owner?.account.note ?? "" };
    })
    .get("/api/v1/custom_emojis", () => [])
    .get("/api/v1/trends", ({ request }) => (publicOrScoped(ctx, request, []), []))
    .get("/api/v1/trends/tags", ({ request }) => (publicOrScoped(ctx, request, []), []))
    .get("/api/v1/trends/statuses", ({ request }) => (publicOrScoped(ctx, request, []), []))
    .get("/api/v1/trends/links", ({ request }) => (publicOrScoped(ctx, request, []), []));
}
