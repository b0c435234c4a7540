// MediaAttachment (entities/MediaAttachment.md).
import type { Config } from "../../config.ts";
import type { mediaAttachments } from "../../db/schema.ts";
import { mediaUrl } from "../../media/storage.ts";

export type MediaRow = typeof mediaAttachments.$inferSelect;

export function renderMediaAttachment(config: Config, m: MediaRow) {
  const meta = JSON.parse(m.meta) as Record<string, unknown>;
  if (m.focus) {
    const [x, y] = m.focus.split(",").map(Number);
    meta.focus = { x, y };
  }
  return {
    id: m.id,
    type: m.type,
    url: m.filePath ? mediaUrl(config, m.filePath) : m.remoteUrl,
    preview_url: m.previewPath ? mediaUrl(config, m.previewPath) : m.filePath ? mediaUrl(config, m.filePath) : m.remoteUrl,
    remote_url: m.filePath ? null : m.remoteUrl,
    preview_remote_url: null,
    text_url: null,
    meta,
    description: m.description,
    blurhash: m.blurhash,
  };
}
