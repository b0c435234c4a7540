// The client's IP address. The server records the socket peer; a proxy on this host (loopback peer)
// is trusted to tell the real client in X-Forwarded-For.
const peers = new WeakMap<Request, string>();

export function recordPeer(request: Request, ip: string | undefined): void {
  if (ip) peers.set(request, ip);
}

export function clientIp(request: Request): string {
  const peer = peers.get(request) ?? "unknown";
  if (peer === "127.0.0.1" || peer === "::1" || peer === "::ffff:127.0.0.1") {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",").pop()?.trim();
    if (forwarded) return forwarded;
  }
  return peer;
}
