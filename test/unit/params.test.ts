import { expect, test } from "bun:test";
import { normalizeParams } from "../../src/api/params.ts";

test("Rails-style keys become nested values", () => {
  expect(
    normalizeParams({
      status: "hi",
      "media_ids[]": ["1", "2"],
      "poll[options][]": ["a", "b"],
      "poll[expires_in]": "300",
      "fields_attributes[0][name]": "Site",
      "fields_attributes[0][value]": "https://x.example",
      "fields_attributes[1][name]": "Pronouns",
      "source[privacy]": "unlisted",
      "types[]": "mention",
    }),
  ).toEqual({
    status: "hi",
    media_ids: ["1", "2"],
    poll: { options: ["a", "b"], expires_in: "300" },
    fields_attributes: { "0": { name: "Site", value: "https://x.example" }, "1": { name: "Pronouns" } },
    source: { privacy: "unlisted" },
    types: ["mention"],
  });
});

test("JSON bodies pass through untouched", () => {
  const body = { status: "x", media_ids: ["1"], poll: { options: ["a"] } };
  expect(normalizeParams(body)).toEqual(body);
  expect(normalizeParams(undefined)).toBeUndefined();
});

test("prototype keys are ignored", () => {
  const out = normalizeParams({ "__proto__[polluted]": "yes", "a[constructor][x]": "1" }) as Record<string, unknown>;
  expect(({} as any).polluted).toBeUndefined();
  expect(out).toEqual({});
});

test("repeated query keys are kept", async () => {
  const { parseQuery } = await import("../../src/api/params.ts");
  expect(normalizeParams(parseQuery("http://h/p?id[]=1&id[]=2&types[]=x&limit=5&tag=a&tag=b"))).toEqual({ id: ["1", "2"], types: ["x"], limit: "5", tag: ["a", "b"] });
});
