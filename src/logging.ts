// One log stream for Roost and Fedify (both use LogTape), written as text lines to stderr.
import { configureSync, getTextFormatter, resetSync, type LogRecord } from "@logtape/logtape";
import type { LogLevel } from "./config.ts";

const format = getTextFormatter({ timestamp: "date-time-timezone", category: ".", value: "bare" });

export function setupLogging(level: LogLevel): void {
  resetSync();
  configureSync({
    sinks: { stderr: (record: LogRecord) => void process.stderr.write(format(record)) },
    loggers: [
      { category: ["roost"], lowestLevel: level, sinks: ["stderr"] },
      // Fedify is chatty at info; its warnings and errors are what an operator needs.
      { category: ["fedify"], lowestLevel: level === "trace" || level === "debug" ? level : "warning", sinks: ["stderr"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
}
