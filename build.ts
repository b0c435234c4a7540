// Builds dist/roost: one executable with the server, migrations (inlined by a macro), UI assets
// (text imports) and sharp's native parts (file assets, see src/media/native.ts).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { BunPlugin } from "bun";

const root = import.meta.dir;
const platform = `${process.platform}-${process.arch}`;
const sharpVersion = JSON.parse(readFileSync(join(root, "node_modules/sharp/package.json"), "utf8")).version as string;
const addonDir = join(root, `node_modules/@img/sharp-${platform}/lib`);
const libvipsDir = join(root, `node_modules/@img/sharp-libvips-${platform}/lib`);

function findFile(dir: string, pattern: RegExp): string {
  const name = readdirSync(dir).find((f) => pattern.test(f));
  if (!name) throw new Error(`no file matching ${pattern} in ${dir}; is sharp installed for ${platform}?`);
  return join(dir, name);
}

const addon = findFile(addonDir, /^sharp-.*\.node$/);
const libvips = findFile(libvipsDir, /^libvips-cpp\.so\.[\d.]+$|^libvips-cpp\.[\d.]+\.dylib$/);

// The native libraries are stored zstd-compressed (libvips: 18.7 MB → 6.9 MB) to keep the
// executable small; native.ts decompresses them once into the cache folder.
const packed = join(root, "dist", ".native");
mkdirSync(packed, { recursive: true });
function pack(file: string): { path: string; name: string; size: number } {
  const bytes = readFileSync(file);
  const path = join(packed, `${basename(file)}.zst`);
  writeFileSync(path, Bun.zstdCompressSync(bytes, { level: 19 }));
  return { path, name: basename(file), size: bytes.length };
}
const libvipsPacked = pack(libvips);
const addonPacked = pack(addon);

const embeddedSharp: BunPlugin = {
  name: "embedded-sharp",
  setup(build) {
    build.onLoad({ filter: /[\\/]sharp[\\/]dist[\\/]sharp\.mjs$/ }, () => ({
      loader: "js",
      contents: [
        `import libvips from ${JSON.stringify(libvipsPacked.path)} with { type: "file" };`,
        `import addon from ${JSON.stringify(addonPacked.path)} with { type: "file" };`,
        `import { loadEmbeddedSharp } from ${JSON.stringify(resolve(root, "src/media/native.ts"))};`,
        `export default loadEmbeddedSharp({`,
        `  libvips: { embedded: libvips, name: ${JSON.stringify(libvipsPacked.name)}, size: ${libvipsPacked.size} },`,
        `  addon: { embedded: addon, name: ${JSON.stringify(addonPacked.name)}, size: ${addonPacked.size} },`,
        `  version: ${JSON.stringify(`${sharpVersion}-${platform}`)},`,
        `});`,
      ].join("\n"),
    }));
  },
};

const outfile = join(root, "dist", "roost");
const result = await Bun.build({
  entrypoints: [join(root, "src/main.ts")],
  compile: { outfile },
  minify: true,
  sourcemap: "none",
  plugins: [embeddedSharp],
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
const size = statSync(outfile).size;
console.log(`built ${outfile} (${(size / 1e6).toFixed(1)} MB) for ${platform}`);
