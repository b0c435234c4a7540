// `roost self-test`: proves, inside whatever binary runs it, that the parts Roost needs work here.
import { Database } from "bun:sqlite";
import { exportJWK, importJWK } from "jose";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.ts";
import { databasePath, migrate, migrationStatus, MIGRATIONS } from "../db/client.ts";
import { loadSharp } from "../media/sharp.ts";
import { say } from "./output.ts";

interface Check {
  name: string;
  run: () => Promise<string> | string;
}

export async function selfTestCommand(config: Config): Promise<number> {
  const scratch = join(config.dataDir, "cache", `self-test-${process.pid}`);
  const checks: Check[] = [
    {
      name: "data folder",
      run: () => {
        mkdirSync(scratch, { recursive: true });
        writeFileSync(join(scratch, "probe"), "ok");
        return `${config.dataDir} is writable`;
      },
    },
    {
      name: "sqlite",
      run: () => {
        const probe = new Database(join(scratch, "probe.db"), { create: true });
        try {
          probe.exec("PRAGMA journal_mode = WAL");
          const version = (probe.query("SELECT sqlite_version() AS v").get() as { v: string }).v;
          migrate(probe, join(scratch, "probe.db"));
          let existing = "no database yet";
          if (existsSync(databasePath(config.dataDir))) {
            const db = new Database(databasePath(config.dataDir), { readonly: true });
            try {
              const check = (db.query("PRAGMA quick_check").get() as { quick_check: string }).quick_check;
              if (check !== "ok") throw new Error(`the database fails its integrity check: ${check}`);
              const status = migrationStatus(db);
              existing = `database ok, ${status.applied.length} of ${MIGRATIONS.length} migrations applied`;
            } finally {
              db.close();
            }
          }
          return `SQLite ${version}, ${MIGRATIONS.length} embedded migration(s) apply cleanly; ${existing}`;
        } finally {
          probe.close();
        }
      },
    },
    {
      name: "images",
      run: async () => {
        const sharp = await loadSharp();
        const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#b4532a" } }).png().toBuffer();
        const { data, info } = await sharp(png).resize(16, 16, { fit: "cover" }).webp().toBuffer({ resolveWithObject: true });
        if (info.width !== 16 || info.height !== 16 || data.length === 0) throw new Error("resize produced a wrong image");
        return `sharp ${sharp.versions.sharp} with libvips ${sharp.versions.vips} resized a 64x48 PNG to a 16x16 WebP`;
      },
    },
    {
      name: "keys",
      run: async () => {
        const rsa = await crypto.subtle.generateKey(
          { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
          true,
          ["sign", "verify"],
        );
        const ed = (await crypto.subtle.generateKey("Ed25519", true, ["sign", "verify"])) as CryptoKeyPair;
        const message = new TextEncoder().encode("roost");
        for (const [pair, algorithm] of [[rsa, "RSASSA-PKCS1-v1_5"], [ed, "Ed25519"]] as const) {
          const signature = await crypto.subtle.sign(algorithm, pair.privateKey, message);
          const publicKey = await importJWK(await exportJWK(pair.publicKey), algorithm === "Ed25519" ? "EdDSA" : "RS256");
          if (!(await crypto.subtle.verify(algorithm, publicKey as CryptoKey, signature, message))) {
            throw new Error(`${algorithm} signature did not verify`);
          }
        }
        return "RSA-2048 and Ed25519 key pairs generated, signed, exported as JWK and verified";
      },
    },
  ];

  let failed = 0;
  for (const check of checks) {
    try {
      say(`ok    ${check.name}: ${await check.run()}`);
    } catch (error) {
      failed++;
      say(`FAIL  ${check.name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  say(failed ? `${failed} check(s) failed.` : "All checks passed.");
  return failed ? 1 : 0;
}
