// The shared entity check: every API answer is validated against Mastodon's OpenAPI description
// (generated from the docs' entity pages), nullables included. A copy lives in test/fixtures so the
// suite runs from any clone; it is the file the project was given in ../shared/mastodon-openapi.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const SCHEMA_PATH = join(import.meta.dir, "..", "fixtures", "mastodon-openapi", "schema.json");
const document = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));
document.$id = "mastodon";
// Where the OpenAPI file disagrees with the docs' attribute definitions, the docs are the contract:
// most_recent_notification_id is documented as a String (methods/grouped_notifications.md), and
// snowflake ids would lose precision as JSON numbers in JavaScript clients.
document.components.schemas.NotificationGroup.properties.most_recent_notification_id = { type: "string" };

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// Mastodon sends "" for a contact email nobody configured (Setting.site_contact_email's default).
const email = /^[^\s@]+@[^\s@]+$/;
ajv.addFormat("email", (value: string) => value === "" || email.test(value));
ajv.addFormat("iso-639-1", /^[a-z]{2,3}$/);
ajv.addSchema(document);

const cache = new Map<string, ReturnType<typeof ajv.getSchema>>();

/** Throws with every mismatch if `value` is not a valid `entity` (e.g. "Account", "Status"). */
export function expectEntity(entity: string, value: unknown): void {
  let validate = cache.get(entity);
  if (!validate) {
    validate = ajv.getSchema(`mastodon#/components/schemas/${entity}`);
    if (!validate) throw new Error(`no entity ${entity} in the OpenAPI description`);
    cache.set(entity, validate);
  }
  if (!validate(value)) {
    const problems = validate.errors!.map((e) => `${e.instancePath || "(root)"} ${e.message}${e.params ? " " + JSON.stringify(e.params) : ""}`);
    throw new Error(`not a valid ${entity}:\n  ${problems.join("\n  ")}\n${JSON.stringify(value, null, 2).slice(0, 2000)}`);
  }
}

export function expectEntities(entity: string, values: unknown): void {
  if (!Array.isArray(values)) throw new Error(`expected an array of ${entity}, got ${JSON.stringify(values)?.slice(0, 200)}`);
  for (const v of values) expectEntity(entity, v);
}
