import { describe, expect, test } from "bun:test";
import { fromStoredId, idAt, idFloor, isId, newId, timeOfId, toStoredId } from "../../src/db/ids.ts";

describe("snowflake ids", () => {
  test("new ids are numeric strings, strictly increasing, carrying their time", () => {
    const now = Date.now();
    const ids = Array.from({ length: 5000 }, () => newId(now));
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i]!) > BigInt(ids[i - 1]!)).toBe(true);
    expect(ids.every(isId)).toBe(true);
    expect(Math.abs(timeOfId(ids[0]!) - now)).toBeLessThanOrEqual(1);
  });

  test("ids minted from a timestamp sort by that time", () => {
    const older = idAt(Date.parse("2017-04-01T00:00:00Z"));
    const newer = idAt(Date.parse("2024-01-01T00:00:00Z"));
    expect(BigInt(older) < BigInt(newer)).toBe(true);
    expect(timeOfId(older)).toBe(Date.parse("2017-04-01T00:00:00Z"));
    expect(BigInt(idFloor(Date.parse("2024-01-01T00:00:00Z"))) <= BigInt(newer)).toBe(true);
  });

  test("the same seed gives the same id", () => {
    const t = Date.parse("2025-06-01T12:00:00Z");
    expect(idAt(t, "https://a.example/notes/1")).toBe(idAt(t, "https://a.example/notes/1"));
    expect(idAt(t, "https://a.example/notes/1")).not.toBe(idAt(t, "https://a.example/notes/2"));
  });

  test("stored form is fixed-width, so text order is numeric order, and round-trips", () => {
    const a = idAt(Date.parse("2016-12-01T00:00:00Z")); // 17 digits
    const b = idAt(Date.parse("2026-01-01T00:00:00Z")); // 18 digits
    expect(a.length).toBeLessThan(b.length);
    expect(toStoredId(a) < toStoredId(b)).toBe(true);
    expect(toStoredId(a)).toHaveLength(19);
    expect(fromStoredId(toStoredId(a))).toBe(a);
  });

  test("non-ids are refused", () => {
    expect(isId("12a")).toBe(false);
    expect(isId("")).toBe(false);
    expect(isId("99999999999999999999")).toBe(false);
    expect(() => toStoredId("1; DROP TABLE")).toThrow();
  });
});

test("ids compare numerically without BigInt", async () => {
  const { compareIds } = await import("../../src/db/ids.ts");
  const ids = ["117664508922757383", "9", "99999999999999999", "117664508922757384", "10"];
  expect([...ids].sort(compareIds)).toEqual(["9", "10", "99999999999999999", "117664508922757383", "117664508922757384"]);
  expect(compareIds("5", "5")).toBe(0);
});
