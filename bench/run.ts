// npm run bench: every benchmark, each printing ratios against a bare Bun baseline from the same run.
import { benchStartup } from "./startup.ts";
import { benchTimeline } from "./timeline.ts";

await benchStartup();
await benchTimeline();
