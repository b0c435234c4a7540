// The server's VAPID key pair (RFC 8292) for Web Push: made once, kept in kv. Apps read the public key
// from Application.vapid_key and the instance; push subscriptions will sign with the private key.
import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { Storage } from "../db/client.ts";
import { initKv, readKv } from "../db/kv.ts";

interface VapidKeys {
  publicKey: string;
  privateJwk: JWK;
}

const cache = new WeakMap<Storage, VapidKeys>();

/** Generates the pair if needed. Call once at start so request paths stay synchronous. */
export async function ensureVapidKeys(storage: Storage): Promise<VapidKeys> {
  const existing = readKv<VapidKeys>(storage, "push.vapid");
  if (existing) {
    cache.set(storage, existing);
    return existing;
  }
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(privateJwk.x!, "base64url"), Buffer.from(privateJwk.y!, "base64url")]);
  const keys = initKv<VapidKeys>(storage, "push.vapid", { publicKey: point.toString("base64url"), privateJwk });
  cache.set(storage, keys);
  return keys;
}

export function vapidPublicKey(storage: Storage): string {
  const keys = cache.get(storage) ?? readKv<VapidKeys>(storage, "push.vapid");
  if (!keys) throw new Error("VAPID keys were not generated at start");
  return keys.publicKey;
}
