// Image uploads for statuses (POST /api/v2/media): EXIF orientation applied and metadata stripped,
// bounded to 4K, with a 640px preview. Video and audio arrive with the full media pipeline.
import { eq } from "drizzle-orm";
import type { Context } from "../../context.ts";
import { newId } from "../../db/ids.ts";
import { mediaAttachments } from "../../db/schema.ts";
import { loadSharp } from "../../media/sharp.ts";
import { storeMediaFile } from "../../media/storage.ts";
import { randomToken } from "../../oauth/secrets.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";

const IMAGE_FORMATS: Record<string, string> = { jpeg: "jpg", png: "png", webp: "webp", gif: "gif", avif: "avif", heif: "jpg" };
const MAX_SIDE = 3840;
const PREVIEW_SIDE = 640;

export function parseFocus(focus: string | undefined): string | undefined {
  if (focus === undefined || focus === "") return undefined;
  const parts = focus.split(",").map((p) => Number(p.trim()));
  if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n) || n < -1 || n > 1)) throw new ValidationError("Validation failed: Focus must be two numbers from -1.0 to 1.0, like 0.5,-0.2");
  return parts.join(",");
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && [...description].length > 1500) throw new ValidationError("Validation failed: Description is too long (maximum is 1500 characters)");
}

export async function uploadMedia(ctx: Context, ownerId: string, input: { file: File; description?: string; focus?: string }) {
  checkDescription(input.description);
  const focus = parseFocus(input.focus);
  if (input.file.size === 0) throw new ValidationError("Validation failed: File can't be blank");
  if (input.file.size > ctx.config.limits.imageBytes) throw new ValidationError(`Validation failed: File file size must be less than ${Math.round(ctx.config.limits.imageBytes / 1024 / 1024)} MB`);
  const bytes = new Uint8Array(await input.file.arrayBuffer());
  const sharp = await loadSharp();
  let metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    throw new ValidationError("Validation failed: File content type is invalid (images are supported; video and audio are not yet)");
  }
  const extension = metadata.format ? IMAGE_FORMATS[metadata.format] : undefined;
  if (!extension) throw new ValidationError("Validation failed: File content type is invalid (images are supported; video and audio are not yet)");
  const animated = metadata.format === "gif" && (metadata.pages ?? 1) > 1;

  const bound = { width: MAX_SIDE, height: MAX_SIDE, fit: "inside" as const, withoutEnlargement: true };
  let original: Buffer;
  let info: { width: number; height: number };
  let outExtension = extension;
  try {
    if (animated) {
      const out = await sharp(bytes, { animated: true }).resize(bound).gif().toBuffer({ resolveWithObject: true });
      original = out.data;
      info = { width: out.info.width, height: out.info.pageHeight ?? out.info.height };
    } else {
      // HEIF has no browser support: store it as JPEG.
      const pipeline = sharp(bytes).rotate().resize(bound);
      const out = await (metadata.format === "heif" ? pipeline.jpeg({ quality: 90 }) : pipeline).toBuffer({ resolveWithObject: true });
      original = out.data;
      info = out.info;
      if (metadata.format === "heif") outExtension = "jpg";
    }
  } catch {
    throw new ValidationError("Validation failed: File could not be processed");
  }
  const preview = await sharp(original).resize({ width: PREVIEW_SIDE, height: PREVIEW_SIDE, fit: "inside", withoutEnlargement: true }).webp({ quality: 80 }).toBuffer({ resolveWithObject: true });
  const id = newId();
  const stem = `media_attachments/files/${id}/${randomToken(9)}`;
  storeMediaFile(ctx.config, `${stem}.${outExtension}`, original);
  storeMediaFile(ctx.config, `${stem}-small.webp`, preview.data);
  const size = (w: number, h: number) => ({ width: w, height: h, size: `${w}x${h}`, aspect: w / h });
  return ctx.storage.db
    .insert(mediaAttachments)
    .values({
      id,
      accountId: ownerId,
      type: animated ? "gifv" : "image",
      filePath: `${stem}.${outExtension}`,
      previewPath: `${stem}-small.webp`,
      description: input.description ?? null,
      focus: focus ?? null,
      meta: JSON.stringify({ original: size(info.width, info.height), small: size(preview.info.width, preview.info.height) }),
      createdAt: Date.now(),
    })
    .returning()
    .get();
}

export function getOwnMedia(ctx: Context, ownerId: string, id: string) {
  const row = ctx.storage.db.select().from(mediaAttachments).where(eq(mediaAttachments.id, id)).get();
  if (!row) throw new NotFoundError();
  if (row.accountId !== ownerId) throw new ForbiddenError("This action is not allowed");
  return row;
}

/** PUT /api/v1/media/:id: description and focus, until the media is attached (then edit the status). */
export function updateMedia(ctx: Context, ownerId: string, id: string, input: { description?: string; focus?: string }) {
  const row = getOwnMedia(ctx, ownerId, id);
  checkDescription(input.description);
  const focus = parseFocus(input.focus);
  const set: { description?: string; focus?: string } = {};
  if (input.description !== undefined) set.description = input.description;
  if (focus !== undefined) set.focus = focus;
  if (!Object.keys(set).length) return row;
  return ctx.storage.db.update(mediaAttachments).set(set).where(eq(mediaAttachments.id, id)).returning().get();
}
