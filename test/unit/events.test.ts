import { expect, test } from "bun:test";
import { EventBus } from "../../src/events/bus.ts";

test("subscribers get published events until they unsubscribe", () => {
  const bus = new EventBus();
  const seen: string[] = [];
  const off = bus.on("status.created", (e) => seen.push(e.statusId));
  bus.publish("status.created", { statusId: "1", accountId: "9" });
  off();
  bus.publish("status.created", { statusId: "2", accountId: "9" });
  expect(seen).toEqual(["1"]);
  expect(bus.listenerCount("status.created")).toBe(0);
});

test("a throwing listener does not stop the others or the publisher", () => {
  const bus = new EventBus();
  const seen: string[] = [];
  bus.on("status.deleted", () => {
    throw new Error("boom");
  });
  bus.on("status.deleted", (e) => seen.push(e.statusId));
  expect(() => bus.publish("status.deleted", { statusId: "5", accountId: "9" })).not.toThrow();
  expect(seen).toEqual(["5"]);
});

test("once listeners run once", () => {
  const bus = new EventBus();
  let count = 0;
  bus.once("owner.created", () => count++);
  bus.publish("owner.created", { accountId: "1" });
  bus.publish("owner.created", { accountId: "1" });
  expect(count).toBe(1);
});
