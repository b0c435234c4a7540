// The one place that reads ROOST_* environment variables and configuration flags.
// Every setting is declared once in SETTINGS, which also feeds `roost --help` and the README table.
import { resolve } from "node:path";

export type LogLevel = "trace" | "debug" | "info" | "warning" | "error" | "fatal";

export interface Config {
  dataDir: string;
  listen: { hostname: string; port: number };
  publicUrl: URL;
  /** The domain in @user@domain; may differ from the web host (Mastodon's LOCAL_DOMAIN vs WEB_DOMAIN). */
  accountDomain: string;
  logLevel: LogLevel;
  allowPrivateAddresses: boolean;
  limits: {
    statusCharacters: number;
    imageBytes: number;
    videoBytes: number;
    bodyBytes: number;
  };
  jobWorkers: number;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

interface Setting<K extends string> {
  key: K;
  env: string;
  flag: string;
  /** Human-readable default, shown in --help. */
  default: string;
  help: string;
  boolean?: boolean;
}

const SETTING_LIST = [
  { key: "dataDir", env: "ROOST_DATA_DIR", flag: "--data-dir", default: "./data", help: "Folder for the database, media and caches." },
  { key: "listen", env: "ROOST_LISTEN", flag: "--listen", default: "127.0.0.1:3000", help: "Address and port to listen on (host:port, :port or port)." },
  { key: "publicUrl", env: "ROOST_PUBLIC_URL", flag: "--public-url", default: "http://localhost:<port>", help: "The URL people and servers reach this server at (https behind a proxy)." },
  { key: "accountDomain", env: "ROOST_ACCOUNT_DOMAIN", flag: "--account-domain", default: "host of the public URL", help: "The domain in @user@domain, if it differs from the web host." },
  { key: "logLevel", env: "ROOST_LOG_LEVEL", flag: "--log-level", default: "info", help: "trace, debug, info, warning, error or fatal." },
  { key: "allowPrivateAddresses", env: "ROOST_ALLOW_PRIVATE_ADDRESSES", flag: "--allow-private-addresses", default: "false", help: "Allow fetching from loopback/private networks (tests, local federation).", boolean: true },
  { key: "statusCharacters", env: "ROOST_MAX_STATUS_CHARS", flag: "--max-status-chars", default: "500", help: "Longest status text, counted as Mastodon counts it." },
  { key: "imageBytes", env: "ROOST_MAX_IMAGE_BYTES", flag: "--max-image-bytes", default: "16MiB", help: "Largest image upload (bytes; K/M/G suffixes allowed)." },
  { key: "videoBytes", env: "ROOST_MAX_VIDEO_BYTES", flag: "--max-video-bytes", default: "99MiB", help: "Largest video or audio upload." },
  { key: "bodyBytes", env: "ROOST_MAX_BODY_BYTES", flag: "--max-body-bytes", default: "1MiB", help: "Largest request body outside media uploads." },
  { key: "jobWorkers", env: "ROOST_JOB_WORKERS", flag: "--job-workers", default: "4", help: "How many background jobs run at once." },
  { key: "shutdownTimeout", env: "ROOST_SHUTDOWN_TIMEOUT", flag: "--shutdown-timeout", default: "10", help: "Seconds running jobs get to finish on SIGTERM before they are released." },
] as const satisfies readonly Setting<string>[];

export type SettingKey = (typeof SETTING_LIST)[number]["key"];
export const SETTINGS: readonly Setting<SettingKey>[] = SETTING_LIST;

export function findSettingByFlag(flag: string): Setting<SettingKey> | undefined {
  return SETTINGS.find((s) => s.flag === flag);
}

const LOG_LEVELS: readonly LogLevel[] = ["trace", "debug", "info", "warning", "error", "fatal"];

/**
 * Builds the Config. `flags` (from the command line) win over `env`.
 * Throws ConfigError with one line naming the setting and the reason.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  flags: Partial<Record<SettingKey, string>> = {},
  cwd: string = process.cwd(),
): Config {
  const raw = (key: SettingKey): { value: string; source: string } | undefined => {
    const setting = SETTINGS.find((s) => s.key === key)!;
    const flagValue = flags[key];
    if (flagValue !== undefined) return { value: flagValue, source: setting.flag };
    const envValue = env[setting.env];
    if (envValue !== undefined && envValue !== "") return { value: envValue, source: setting.env };
    return undefined;
  };
  const fail = (source: string, value: string, reason: string): never => {
    throw new ConfigError(`${source}=${JSON.stringify(value)}: ${reason}`);
  };

  const dataDirRaw = raw("dataDir");
  const dataDir = resolve(cwd, dataDirRaw?.value ?? "./data");

  const listenRaw = raw("listen");
  const listen = listenRaw
    ? parseListen(listenRaw.value) ?? fail(listenRaw.source, listenRaw.value, "expected host:port, :port or port (1-65535)")
    : { hostname: "127.0.0.1", port: 3000 };

  const publicRaw = raw("publicUrl");
  let publicUrl: URL;
  if (publicRaw) {
    const parsed = URL.canParse(publicRaw.value) ? new URL(publicRaw.value) : null;
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
      return fail(publicRaw.source, publicRaw.value, "expected an http:// or https:// URL");
    }
    if (parsed.pathname !== "/" || parsed.search || parsed.hash || parsed.username) {
      return fail(publicRaw.source, publicRaw.value, "must be just scheme://host[:port], without a path, query or credentials");
    }
    publicUrl = parsed;
  } else {
    publicUrl = new URL(`http://localhost:${listen.port}`);
  }

  const domainRaw = raw("accountDomain");
  let accountDomain = publicUrl.host;
  if (domainRaw) {
    const value = domainRaw.value.toLowerCase();
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/.test(value)) {
      fail(domainRaw.source, domainRaw.value, "expected a domain name such as example.com");
    }
    accountDomain = value;
  }

  const levelRaw = raw("logLevel");
  let logLevel: LogLevel = "info";
  if (levelRaw) {
    const value = levelRaw.value.toLowerCase() === "warn" ? "warning" : levelRaw.value.toLowerCase();
    if (!(LOG_LEVELS as readonly string[]).includes(value)) fail(levelRaw.source, levelRaw.value, `expected one of ${LOG_LEVELS.join(", ")}`);
    logLevel = value as LogLevel;
  }

  const privateRaw = raw("allowPrivateAddresses");
  const allowPrivateAddresses = privateRaw
    ? parseBoolean(privateRaw.value) ?? fail(privateRaw.source, privateRaw.value, "expected true or false")
    : false;

  const integer = (key: SettingKey, fallback: number, min: number, max: number): number => {
    const r = raw(key);
    if (!r) return fallback;
    const n = /^\d+$/.test(r.value.trim()) ? Number(r.value.trim()) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) return fail(r.source, r.value, `expected a whole number from ${min} to ${max}`);
    return n;
  };
  const bytes = (key: SettingKey, fallback: number): number => {
    const r = raw(key);
    if (!r) return fallback;
    const n = parseByteSize(r.value);
    if (n === undefined || n < 1024) return fail(r.source, r.value, "expected a size of at least 1K, such as 1048576, 512K, 16M or 1G");
    return n;
  };

  return {
    dataDir,
    listen,
    publicUrl,
    accountDomain,
    logLevel,
    allowPrivateAddresses,
    limits: {
      statusCharacters: integer("statusCharacters", 500, 1, 100_000),
      imageBytes: bytes("imageBytes", 16 * 1024 * 1024),
      videoBytes: bytes("videoBytes", 99 * 1024 * 1024),
      bodyBytes: bytes("bodyBytes", 1024 * 1024),
    },
    jobWorkers: integer("jobWorkers", 4, 1, 64),
    shutdownTimeoutMs: integer("shutdownTimeout", 10, 0, 3600) * 1000,
  };
}

export function parseListen(value: string): { hostname: string; port: number } | undefined {
  const v = value.trim();
  let hostname = "127.0.0.1";
  let portText: string;
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(v);
  if (bracketed) {
    hostname = bracketed[1]!;
    portText = bracketed[2]!;
  } else if (/^\d+$/.test(v)) {
    portText = v;
  } else {
    const i = v.lastIndexOf(":");
    if (i < 0) return undefined;
    const host = v.slice(0, i);
    if (host && !/^[A-Za-z0-9.-]+$/.test(host)) return undefined;
    if (host) hostname = host;
    portText = v.slice(i + 1);
  }
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  // Port 0 asks the OS for a free port (tests use it).
  if (port > 65535) return undefined;
  return { hostname, port };
}

export function parseBoolean(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  return undefined;
}

export function parseByteSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(n) ? n : undefined;
}
