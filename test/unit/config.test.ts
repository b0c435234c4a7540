import { describe, expect, test } from "bun:test";
import { ConfigError, loadConfig, parseByteSize, parseListen } from "../../src/config.ts";

describe("configuration", () => {
  test("defaults work on a laptop", () => {
    const c = loadConfig({}, {}, "/home/me/roost");
    expect(c.dataDir).toBe("/home/me/roost/data");
    expect(c.listen).toEqual({ hostname: "127.0.0.1", port: 3000 });
    expect(c.publicUrl.href).toBe("http://localhost:3000/");
    expect(c.accountDomain).toBe("localhost:3000");
    expect(c.logLevel).toBe("info");
    expect(c.allowPrivateAddresses).toBe(false);
    expect(c.limits).toEqual({ statusCharacters: 500, imageBytes: 16 * 1024 ** 2, videoBytes: 99 * 1024 ** 2, bodyBytes: 1024 ** 2 });
  });

  test("environment variables are read and flags win over them", () => {
    const c = loadConfig(
      { ROOST_PUBLIC_URL: "https://social.example", ROOST_LISTEN: "0.0.0.0:8080", ROOST_LOG_LEVEL: "debug" },
      { logLevel: "error", dataDir: "/srv/roost" },
    );
    expect(c.publicUrl.origin).toBe("https://social.example");
    expect(c.accountDomain).toBe("social.example");
    expect(c.listen).toEqual({ hostname: "0.0.0.0", port: 8080 });
    expect(c.logLevel).toBe("error");
    expect(c.dataDir).toBe("/srv/roost");
  });

  test("the account domain may differ from the web host", () => {
    const c = loadConfig({ ROOST_PUBLIC_URL: "https://social.example.com", ROOST_ACCOUNT_DOMAIN: "Example.com" });
    expect(c.accountDomain).toBe("example.com");
    expect(c.publicUrl.host).toBe("social.example.com");
  });

  test("the public URL follows a changed listen port when unset", () => {
    expect(loadConfig({ ROOST_LISTEN: ":4000" }).publicUrl.href).toBe("http://localhost:4000/");
  });

  test("booleans, sizes and numbers accept the usual spellings", () => {
    expect(loadConfig({ ROOST_ALLOW_PRIVATE_ADDRESSES: "yes" }).allowPrivateAddresses).toBe(true);
    expect(loadConfig({}, { allowPrivateAddresses: "true" }).allowPrivateAddresses).toBe(true);
    expect(loadConfig({ ROOST_MAX_IMAGE_BYTES: "8M" }).limits.imageBytes).toBe(8 * 1024 ** 2);
    expect(loadConfig({ ROOST_MAX_STATUS_CHARS: "1000" }).limits.statusCharacters).toBe(1000);
    expect(loadConfig({ ROOST_LOG_LEVEL: "WARN" }).logLevel).toBe("warning");
    expect(parseByteSize("512KiB")).toBe(512 * 1024);
    expect(parseByteSize("1.5G")).toBe(1.5 * 1024 ** 3);
    expect(parseByteSize("lots")).toBeUndefined();
  });

  test("listen addresses", () => {
    expect(parseListen("3000")).toEqual({ hostname: "127.0.0.1", port: 3000 });
    expect(parseListen(":3000")).toEqual({ hostname: "127.0.0.1", port: 3000 });
    expect(parseListen("[::1]:3000")).toEqual({ hostname: "::1", port: 3000 });
    expect(parseListen("example:99999")).toBeUndefined();
    expect(parseListen("nonsense")).toBeUndefined();
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ ROOST_LISTEN: "abc" }, /^ROOST_LISTEN="abc": expected host:port/],
    [{ ROOST_PUBLIC_URL: "ftp://x" }, /^ROOST_PUBLIC_URL="ftp:\/\/x": expected an http/],
    [{ ROOST_PUBLIC_URL: "https://x.example/sub" }, /without a path/],
    [{ ROOST_ACCOUNT_DOMAIN: "not a domain" }, /^ROOST_ACCOUNT_DOMAIN=.*expected a domain/],
    [{ ROOST_LOG_LEVEL: "loud" }, /^ROOST_LOG_LEVEL="loud": expected one of trace, debug/],
    [{ ROOST_ALLOW_PRIVATE_ADDRESSES: "maybe" }, /expected true or false/],
    [{ ROOST_MAX_STATUS_CHARS: "-5" }, /^ROOST_MAX_STATUS_CHARS="-5": expected a whole number/],
    [{ ROOST_MAX_IMAGE_BYTES: "12" }, /at least 1K/],
    [{ ROOST_JOB_WORKERS: "0" }, /^ROOST_JOB_WORKERS="0"/],
  ];
  for (const [env, message] of bad) {
    test(`a bad setting names itself and the reason: ${Object.keys(env)[0]}`, () => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });
  }

  test("a bad flag is named as the flag", () => {
    expect(() => loadConfig({}, { listen: "x" })).toThrow(/^--listen="x"/);
  });
});
