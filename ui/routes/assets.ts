// Static images every Mastodon server serves: the default avatar and header.
import { Elysia } from "elysia";
import missingAvatar from "../assets/missing-avatar.png" with { type: "file" };
import missingHeader from "../assets/missing-header.png" with { type: "file" };

const png = (path: string) => () =>
  new Response(Bun.file(path), { headers: { "content-type": "image/png", "cache-control": "public, max-age=604800" } });

export const MISSING_AVATAR_PATH = "/avatars/original/missing.png";
export const MISSING_HEADER_PATH = "/headers/original/missing.png";

export function assetRoutes() {
  return new Elysia().get(MISSING_AVATAR_PATH, png(missingAvatar)).get(MISSING_HEADER_PATH, png(missingHeader));
}
