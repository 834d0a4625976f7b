import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { getAuthSecret, getEnv } from "@/lib/env";
import { FORWARDED_HOST_HEADER } from "@/lib/http/request-host";
import { SAFE_METHODS } from "@/lib/http/safe-methods";

/** Pages an anonymous visitor may open (`/signout` too, so a stale tab does not ask to sign in first). */
const publicPages = ["/signin", "/signout", "/setup"];

/** Paths that end in a file extension (favicon, images), which anonymous visitors may fetch. */
const FILE_PATH = /\.[a-zA-Z0-9]+$/;

/**
 * Send anonymous page requests to the sign-in page, with the page they wanted as `callbackUrl`.
 * This is only a quick cookie check: pages and route handlers still resolve the user from the
 * database, and API routes respond with 401 themselves (the matcher skips them). Requests that
 * pass lose an X-Forwarded-Host header that no declared proxy set (see `passOn`).
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // A page write is a server action or a form post. Next.js checks an action's Origin, but lets a
  // request without one pass; the browser's Sec-Fetch-Site marks a cross-site post either way.
  if (!SAFE_METHODS.has(request.method) && request.headers.get("sec-fetch-site") === "cross-site") {
    return new NextResponse("Requests that change data must come from Rankwise's own pages.", { status: 403 });
  }
  if (FILE_PATH.test(pathname) || publicPages.some((page) => pathname === page || pathname.startsWith(`${page}/`))) {
    return passOn(request);
  }

  const token = await getToken({ req: request, secret: getAuthSecret() });
  if (token?.sub) return passOn(request);

  const signIn = new URL("/signin", request.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

/**
 * Pass the request on, without an X-Forwarded-Host header unless TRUST_PROXY=true declares a
 * reverse proxy that sets it. Next.js 16 checks a server action's `Origin` against that header
 * when present, else against `Host`, so a value sent by the client could pass a cross-site post.
 */
function passOn(request: NextRequest): NextResponse {
  if (getEnv().TRUST_PROXY || !request.headers.has(FORWARDED_HOST_HEADER)) return NextResponse.next();
  const headers = new Headers(request.headers);
  headers.delete(FORWARDED_HOST_HEADER);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Everything but API routes and Next.js assets. Paths with a file extension are matched too,
  // because a dynamic page such as /w/[workspaceId]/backlog/items/[itemId] also renders
  // /w/1/backlog/items/a.b, and its server actions need the X-Forwarded-Host removal of `passOn`.
  matcher: ["/((?!api/|_next/static|_next/image).*)"],
};
