// Request parameters as Mastodon clients send them: query strings, JSON, form-encoded or multipart bodies,
// Rails-style keys (media_ids[]=1, poll[options][]=a, fields_attributes[0][name]=x), booleans as
// true/1/on. normalizeParams() turns Rails keys into nested values before Elysia validates them; the
// schema helpers below accept every spelling real apps use.
import { t, type TSchema } from "elysia";

type Params = Record<string, unknown>;

/** `a[b][]=1` style keys → nested objects and arrays. Leaves already-nested JSON alone. */
export function normalizeParams(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input) || input instanceof File || input instanceof Blob) return input;
  const out: Params = {};
  for (const [key, value] of Object.entries(input as Params)) {
    const bracket = key.indexOf("[");
    if (bracket <= 0 || !key.endsWith("]")) {
      out[key] = value;
      continue;
    }
    const path = [key.slice(0, bracket), ...key.slice(bracket + 1, -1).split("][")];
    assign(out, path, value);
  }
  return out;
}

/** A query string with repeated keys kept as arrays (Elysia's parser keeps only the last one). */
export function parseQuery(url: string): Params {
  const q = url.indexOf("?");
  const out: Params = {};
  if (q < 0) return out;
  for (const [key, value] of new URLSearchParams(url.slice(q + 1))) {
    const existing = out[key];
    if (existing === undefined) out[key] = key.endsWith("[]") ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function assign(root: Params, path: string[], value: unknown): void {
  if (path.some((p) => FORBIDDEN_KEYS.has(p))) return;
  let node: any = root;
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (i === path.length - 1) {
      if (part === "") {
        // key[]=a&key[]=b arrives as one key with an array value
        if (Array.isArray(node)) node.push(...(Array.isArray(value) ? value : [value]));
      } else if (!Array.isArray(node)) {
        node[part] = value;
      }
      return;
    }
    if (part === "" || Array.isArray(node)) return; // a[][b] shapes are not used by the API
    const nextIsList = path[i + 1] === "";
    let child = node[part];
    if (child === undefined || typeof child !== "object" || child instanceof File) child = node[part] = nextIsList ? [] : {};
    if (nextIsList !== Array.isArray(child)) return;
    node = child;
  }
}

const TRUE = new Set(["true", "1", "on", "yes", "t"]);

/** A boolean sent as true/false, 1/0, on/off. */
export const flag = () =>
  t
    .Transform(t.Union([t.Boolean(), t.String({ pattern: "^(?:true|false|1|0|on|off|yes|no|t|f|)$" })], { description: "boolean" }))
    .Decode((v) => (typeof v === "boolean" ? v : TRUE.has(v.toLowerCase())))
    .Encode((v) => v);

/** An integer sent as a number or a numeric string, optionally bounded. */
export const integer = (options: { minimum?: number; maximum?: number } = {}) =>
  t
    .Transform(t.Union([t.Integer(options), t.String({ pattern: "^-?\\d+$" })], { description: "integer" }))
    .Decode((v) => {
      const n = typeof v === "number" ? v : Number(v);
      if (options.minimum !== undefined && n < options.minimum) throw new RangeError(`must be at least ${options.minimum}`);
      if (options.maximum !== undefined && n > options.maximum) throw new RangeError(`must be at most ${options.maximum}`);
      return n;
    })
    .Encode((v) => v);

/** A list sent as an array, one value, or Rails `key[]`. */
export const list = <T extends TSchema>(item: T) =>
  t
    .Transform(t.Union([t.Array(item), item]))
    .Decode((v) => (Array.isArray(v) ? v : [v]) as T["static"][])
    .Encode((v) => v as any);

/** An id in a path or parameter: a snowflake string (numbers are accepted from JSON). */
export const id = () =>
  t
    .Transform(t.Union([t.String({ pattern: "^\\d{1,19}$" }), t.Integer({ minimum: 0 })]))
    .Decode((v) => String(v))
    .Encode((v) => v);

export const optional = t.Optional;
