/** Placeholder origin for resolving relative paths; `.invalid` can never be a real host. */
const BASE = "http://rankwise.invalid";

/**
 * Return a same-origin path to go to after sign-in. The value is resolved the way a browser
 * would resolve it, so `//host`, `/\host`, absolute URLs and other schemes all become `/`: a crafted
 * `callbackUrl` cannot send users to another site.
 */
export function toSafeRedirectPath(value: string | null | undefined): string {
  if (!value?.startsWith("/")) return "/";
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
