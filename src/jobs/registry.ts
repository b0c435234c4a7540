// Every job kind the server runs. Each is declared next to the code that owns its work and listed here.
import type { JobDefinition } from "./queue.ts";

export const ALL_JOBS: JobDefinition<any>[] = [];
