// The owner edits their profile and posting defaults (PATCH /api/v1/accounts/update_credentials).
import { eq } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { accounts, users } from "../../db/schema.ts";
import { deleteMediaFile, mediaUrl, storeMediaFile } from "../../media/storage.ts";
import { processProfileImage } from "../../media/profile-images.ts";
import { randomToken } from "../../oauth/secrets.ts";
import { escapeHtml, formatText } from "../../text/format.ts";
import { ValidationError } from "../errors.ts";
import { mentionResolver } from "./mentions.ts";
import { getAccount } from "./queries.ts";

export const VISIBILITIES = ["public", "unlisted", "private", "direct"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export interface ProfileChanges {
  displayName?: string;
  note?: string;
  avatar?: File;
  header?: File;
  locked?: boolean;
  bot?: boolean;
  discoverable?: boolean;
  hideCollections?: boolean;
  indexable?: boolean;
  fields?: { name: string; value: string }[];
  privacy?: string;
  sensitive?: boolean;
  language?: string;
}

const MAX_FIELDS = 4;

export async function updateProfile(ctx: Context, accountId: string, changes: ProfileChanges): Promise<void> {
  const current = getAccount(ctx.storage, accountId);
  const accountSet: Partial<typeof accounts.$inferInsert> = {};
  const userSet: Partial<typeof users.$inferInsert> = {};
  const resolve = mentionResolver(ctx);
  const base = ctx.config.publicUrl.origin;

  if (changes.displayName !== undefined) {
    if ([...changes.displayName].length > 30) throw new ValidationError("Validation failed: Display name is too long (maximum is 30 characters)");
    accountSet.displayName = changes.displayName;
  }
  if (changes.note !== undefined) {
    if ([...changes.note].length > 500) throw new ValidationError("Validation failed: Note is too long (maximum is 500 characters)");
    accountSet.noteSource = changes.note;
    accountSet.note = changes.note.trim() ? formatText(changes.note, { baseUrl: base, resolveMention: resolve }).html : "";
  }
  if (changes.fields !== undefined) {
    const fields = changes.fields.filter((f) => f.name.trim() || f.value.trim());
    if (fields.length > MAX_FIELDS) throw new ValidationError(`Validation failed: Fields is too long (maximum is ${MAX_FIELDS} fields)`);
    for (const f of fields) {
      if ([...f.name].length > 255 || [...f.value].length > 255) throw new ValidationError("Validation failed: Fields is too long (maximum is 255 characters per name and value)");
    }
    accountSet.fields = JSON.stringify(
      fields.map((f) => {
        // A field value renders like a one-line status, without the paragraph.
        const html = formatText(f.value, { baseUrl: base, resolveMention: resolve }).html.replace(/^<p>|<\/p>$/g, "");
        return { name: f.name.trim(), value: html || escapeHtml(f.value), source_value: f.value, verified_at: null };
      }),
    );
  }
  for (const key of ["locked", "bot", "discoverable", "hideCollections", "indexable"] as const) {
    if (changes[key] !== undefined) accountSet[key] = changes[key];
  }
  if (changes.bot !== undefined) accountSet.actorType = changes.bot ? "Service" : "Person";
  if (changes.privacy !== undefined) {
    if (!(VISIBILITIES as readonly string[]).includes(changes.privacy)) throw new ValidationError("Validation failed: Setting default privacy is not included in the list");
    userSet.defaultPrivacy = changes.privacy as Visibility;
  }
  if (changes.sensitive !== undefined) userSet.defaultSensitive = changes.sensitive;
  if (changes.language !== undefined) {
    if (changes.language && !/^[a-z]{2,3}$/.test(changes.language)) throw new ValidationError("Validation failed: Setting default language is not included in the list");
    userSet.defaultLanguage = changes.language || null;
  }

  // Images are processed before the transaction; old files are removed only after it commits.
  const oldFiles: string[] = [];
  for (const kind of ["avatar", "header"] as const) {
    const file = changes[kind];
    if (!file) continue;
    if (file.size > ctx.config.limits.imageBytes) {
      throw new ValidationError(`Validation failed: ${kind === "avatar" ? "Avatar" : "Header"} file size must be less than ${Math.round(ctx.config.limits.imageBytes / 1024 / 1024)} MB`);
    }
    const processed = await processProfileImage(new Uint8Array(await file.arrayBuffer()), kind);
    const stem = `accounts/${kind}s/${accountId}/${randomToken(12)}`;
    storeMediaFile(ctx.config, `${stem}.${processed.original.extension}`, processed.original.bytes);
    const stillPath = processed.still.bytes === processed.original.bytes ? `${stem}.${processed.original.extension}` : `${stem}-static.${processed.still.extension}`;
    if (stillPath !== `${stem}.${processed.original.extension}`) storeMediaFile(ctx.config, stillPath, processed.still.bytes);
    const [urlKey, staticKey] = kind === "avatar" ? (["avatarUrl", "avatarStaticUrl"] as const) : (["headerUrl", "headerStaticUrl"] as const);
    for (const old of [current[urlKey], current[staticKey]]) {
      const prefix = `${base}/system/`;
      if (old?.startsWith(prefix)) oldFiles.push(old.slice(prefix.length));
    }
    accountSet[urlKey] = mediaUrl(ctx.config, `${stem}.${processed.original.extension}`);
    accountSet[staticKey] = mediaUrl(ctx.config, stillPath);
  }

  const now = Date.now();
  ctx.storage.db.transaction((tx) => {
    if (Object.keys(accountSet).length) tx.update(accounts).set({ ...accountSet, updatedAt: now }).where(eq(accounts.id, accountId)).run();
    if (Object.keys(userSet).length) tx.update(users).set({ ...userSet, updatedAt: now }).where(eq(users.accountId, accountId)).run();
  });
  for (const path of new Set(oldFiles)) deleteMediaFile(ctx.config, path);
  ctx.events.publish("account.updated", { accountId });
}
