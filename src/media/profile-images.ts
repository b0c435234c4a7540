// Avatars and headers: resized as Mastodon does (avatar 400×400, header 1500×500, cropped to fill),
// EXIF orientation applied and metadata stripped; animated GIF/WebP stay animated, with a still copy.
import { ValidationError } from "../domain/errors.ts";
import { loadSharp } from "./sharp.ts";

export interface ProcessedImage {
  original: { bytes: Uint8Array; extension: string };
  still: { bytes: Uint8Array; extension: string };
}

const SIZES = { avatar: [400, 400], header: [1500, 500] } as const;
const ACCEPTED = new Set(["jpeg", "png", "gif", "webp"]);

export async function processProfileImage(input: Uint8Array, kind: "avatar" | "header"): Promise<ProcessedImage> {
  const sharp = await loadSharp();
  const label = kind === "avatar" ? "Avatar" : "Header";
  let metadata;
  try {
    metadata = await sharp(input).metadata();
  } catch {
    throw new ValidationError(`Validation failed: ${label} has contents that are not what they are reported to be`);
  }
  if (!metadata.format || !ACCEPTED.has(metadata.format)) {
    throw new ValidationError(`Validation failed: ${label} content type is invalid`);
  }
  const [width, height] = SIZES[kind];
  const animated = (metadata.pages ?? 1) > 1 && (metadata.format === "gif" || metadata.format === "webp");
  const resize = { width, height, fit: "cover" as const, withoutEnlargement: true };
  try {
    const still = await sharp(input).rotate().resize(resize).png().toBuffer();
    if (animated) {
      const moving = sharp(input, { animated: true }).resize(resize);
      const bytes = metadata.format === "gif" ? await moving.gif().toBuffer() : await moving.webp().toBuffer();
      return { original: { bytes, extension: metadata.format }, still: { bytes: still, extension: "png" } };
    }
    const format = metadata.format === "jpeg" ? "jpeg" : metadata.format === "webp" ? "webp" : "png";
    const bytes = await sharp(input).rotate().resize(resize).toFormat(format).toBuffer();
    const extension = format === "jpeg" ? "jpg" : format;
    return { original: { bytes, extension }, still: { bytes, extension } };
  } catch {
    throw new ValidationError(`Validation failed: ${label} could not be processed`);
  }
}
