// sharp inside the single executable. build.ts replaces sharp's loader module (sharp/dist/sharp.mjs)
// with a module that embeds libvips and sharp's addon as file assets and calls loadEmbeddedSharp():
// the two files are extracted once into a versioned cache folder, libvips is loaded first with
// bun:ffi (so the addon's dependency on it is already satisfied), then the addon is required.
// Outside the executable, sharp loads from node_modules as usual and none of this runs.
import { dlopen, FFIType } from "bun:ffi";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

let cacheRoot: string | undefined;
const keepAlive: unknown[] = [];

/** Where native libraries are extracted: `<data dir>/cache`. Set before sharp is first imported. */
export function setNativeCacheDir(dir: string): void {
  cacheRoot = dir;
}

/** A zstd-compressed native library embedded in the executable. */
export interface EmbeddedLibrary {
  /** The asset's path inside the executable. */
  embedded: string;
  /** The file name it must have on disk (libvips keeps its soname). */
  name: string;
  /** Its uncompressed size, to recognise a complete earlier extraction without decompressing. */
  size: number;
}

export interface EmbeddedSharpFiles {
  libvips: EmbeddedLibrary;
  addon: EmbeddedLibrary;
  /** Names the cache folder, so an upgraded executable never loads stale libraries. */
  version: string;
}

export function loadEmbeddedSharp(files: EmbeddedSharpFiles): unknown {
  const dir = join(cacheRoot ?? join(tmpdir(), "roost"), `native-${files.version}`);
  mkdirSync(dir, { recursive: true });
  const libvips = extract(files.libvips, dir);
  const addon = extract(files.addon, dir);
  // The symbol is only there because dlopen wants one; what matters is that libvips is now loaded.
  keepAlive.push(dlopen(libvips, { vips_version: { args: [FFIType.i32], returns: FFIType.i32 } }));
  return createRequire(import.meta.url)(addon);
}

function extract(library: EmbeddedLibrary, dir: string): string {
  const target = join(dir, library.name);
  if (existsSync(target) && statSync(target).size === library.size) return target;
  const bytes = Bun.zstdDecompressSync(readFileSync(library.embedded));
  if (bytes.length !== library.size) throw new Error(`embedded ${library.name} is damaged`);
  // Write then rename: a second process starting at the same moment never loads a half-written file.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, bytes, { mode: 0o755 });
  renameSync(partial, target);
  return target;
}
