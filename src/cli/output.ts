// How commands talk to the person at the terminal.
export function say(line: string): void {
  process.stdout.write(line + "\n");
}

export function warn(line: string): void {
  process.stderr.write(line + "\n");
}
