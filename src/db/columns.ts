// Column helpers shared by the schema, so every table stores ids, times and flags the same way.
import { customType, integer } from "drizzle-orm/sqlite-core";
import { fromStoredId, toStoredId } from "./ids.ts";

/** A snowflake id: a decimal string in JS, fixed-width text in SQLite (see ids.ts). */
export const snowflake = customType<{ data: string; driverData: string }>({
  dataType: () => "text",
  toDriver: toStoredId,
  fromDriver: fromStoredId,
});

/** A time in milliseconds since the epoch (UTC). */
export const millis = (name: string) => integer(name, { mode: "number" });

/** A boolean stored as 0/1. */
export const flag = (name: string) => integer(name, { mode: "boolean" });
