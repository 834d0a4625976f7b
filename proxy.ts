import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { getAuthSecret } from "@/lib/env";

/** Pages an anonymous visitor may open (`/signout` too, so a stale tab does not ask to sign in first). */
const publicPages = ["/signin", "/signout", "/setup"];

/**
 * Send anonymous page requests to the sign-in page, with the page they wanted as `callbackUrl`.
 * This is only a quick cookie check: pages and route handlers still resolve the user from the
 * database, and API routes respond with 401 themselves (the matcher skips them).
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (publicPages.some((page) => pathname === page || pathname.startsWith(`${page}/`))) {
    return NextResponse.next();
  }

  const token = await getToken({ req: request, secret: getAuthSecret() });
  if (token?.sub) return NextResponse.next();

  const signIn = new URL("/signin", request.url);
  signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but API routes, Next.js assets and files with an extension (favicon, images).
  matcher: ["/((?!api/|_next/static|_next/image|.*\\.[a-zA-Z0-9]+$).*)"],
};
