// Reads a password without echoing it (TTY), or the first line of standard input (pipes), or a file.
import { readFileSync } from "node:fs";
import { UsageError } from "./args.ts";

export async function readPassword(passwordFile: string | undefined, prompt: string): Promise<string> {
  if (passwordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(passwordFile, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read --password-file ${passwordFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return firstLine(text);
  }
  if (!process.stdin.isTTY) return firstLine(await Bun.stdin.text());
  const first = await promptHidden(prompt);
  const second = await promptHidden("Password again: ");
  if (first !== second) throw new UsageError("the two passwords are not the same");
  return first;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? "";
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = "";
    const done = (result: string | Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      result instanceof Error ? reject(result) : resolve(result);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(value);
        if (ch === "\u0003") return done(new UsageError("cancelled"));
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
