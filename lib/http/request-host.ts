/** Header in which a reverse proxy passes on the Host that the browser requested. */
export const FORWARDED_HOST_HEADER = "x-forwarded-host";

/**
 * Return the host and port that the browser addressed, for comparison with its `Origin`.
 * Any client can send `X-Forwarded-Host`, so it counts only behind a reverse proxy that the
 * operator declares with TRUST_PROXY=true, and that proxy must replace any value the client sent.
 * Its first entry is used, as in the server-action check of Next.js 16. Otherwise the request's
 * own `Host` header is used, and the request URL when even that is missing.
 */
export function getRequestHost(request: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const forwardedHost = request.headers.get(FORWARDED_HOST_HEADER)?.split(",")[0]?.trim();
    if (forwardedHost) return forwardedHost;
  }
  return request.headers.get("host") ?? new URL(request.url).host;
}
