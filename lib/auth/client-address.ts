/**
 * The client address used to rate-limit sign-in, or null when it cannot be trusted.
 * `X-Forwarded-For` is set by whoever sends the request, so it counts only behind a reverse proxy
 * the operator declares with TRUST_PROXY=true; then the last entry is the one that proxy appended.
 * Without a trusted proxy the per-email limit still applies, and one client's failures never lock
 * out everyone else who shares the missing header.
 */
export function getClientAddress(forwardedFor: string | string[] | undefined, trustProxy: boolean): string | null {
  if (!trustProxy || forwardedFor === undefined) return null;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  const hops = header
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops.at(-1) ?? null;
}
