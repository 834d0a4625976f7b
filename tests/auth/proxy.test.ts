import { NextRequest } from "next/server";
import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { getAuthSecret } from "@/lib/env";
import { proxy } from "@/proxy";

const origin = "http://127.0.0.1:3000";

async function sessionCookie(sub: string): Promise<string> {
  const token = await encode({ token: { sub }, secret: getAuthSecret() });
  return `next-auth.session-token=${token}`;
}

function request(path: string, cookie?: string): NextRequest {
  return new NextRequest(new URL(path, origin), { headers: cookie ? { cookie } : {} });
}

describe("proxy", () => {
  it("redirects an anonymous page request to sign-in with the callback URL", async () => {
    const response = await proxy(request("/w/abc/backlog?sort=rice"));
    const location = new URL(response.headers.get("location") ?? "", origin);

    expect(response.status).toBe(307);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("callbackUrl")).toBe("/w/abc/backlog?sort=rice");
  });

  it.each(["/signin", "/signin?callbackUrl=%2Fadmin", "/setup", "/signout"])(
    "lets %s through anonymously",
    async (path) => {
      const response = await proxy(request(path));

      expect(response.headers.get("location")).toBeNull();
    },
  );

  it("lets a request with a valid session cookie through", async () => {
    const response = await proxy(request("/admin", await sessionCookie("00000000-0000-4000-8000-000000000001")));

    expect(response.headers.get("location")).toBeNull();
  });

  it("redirects a request whose cookie is not a valid session", async () => {
    const response = await proxy(request("/admin", "next-auth.session-token=forged"));

    expect(response.headers.get("location")).toContain("/signin");
  });
});
