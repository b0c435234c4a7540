// Media files on disk under <data dir>/media, served at /system/… (Mastodon's path for local media).
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import type { Config } from "../config.ts";

export function mediaRoot(config: Config): string {
  return join(config.dataDir, "media");
}

/** Writes a file atomically; `relativePath` uses forward slashes and no `..`. */
export function storeMediaFile(config: Config, relativePath: string, bytes: Uint8Array): void {
  const target = resolveMediaPath(config, relativePath);
  if (!target) throw new Error(`bad media path ${relativePath}`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, bytes);
  renameSync(partial, target);
}

export function deleteMediaFile(config: Config, relativePath: string): void {
  const target = resolveMediaPath(config, relativePath);
  if (target) rmSync(target, { force: true });
}

export function mediaUrl(config: Config, relativePath: string): string {
  return `${config.publicUrl.origin}/system/${relativePath}`;
}

/** The file for a /system path, or undefined if it tries to leave the media folder. */
export function resolveMediaPath(config: Config, relativePath: string): string | undefined {
  if (!relativePath || relativePath.includes("\0") || relativePath.split("/").some((p) => p === ".." || p === "")) return undefined;
  const root = mediaRoot(config);
  const full = normalize(join(root, relativePath));
  return full.startsWith(root + sep) ? full : undefined;
}

const TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  mp4: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
};

export function contentTypeFor(path: string): string {
  return TYPES[path.slice(path.lastIndexOf(".") + 1).toLowerCase()] ?? "application/octet-stream";
}
