// sharp, loaded on first use: it is large and most requests never touch an image.
import type { default as Sharp } from "sharp";

let loaded: Promise<typeof Sharp> | undefined;

export function loadSharp(): Promise<typeof Sharp> {
  loaded ??= import("sharp").then((m) => m.default);
  return loaded;
}
