import { AsyncLocalStorage } from "node:async_hooks";
import { NextRequest } from "next/server";
import { encode } from "next-auth/jwt";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getAuthSecret } from "@/lib/env";
import { config, proxy } from "@/proxy";

// TRUST_PROXY is read once per process, so the tests switch it through this mutable value.
const proxySetting = vi.hoisted(() => ({ trusted: false }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, getEnv: () => ({ ...actual.getEnv(), TRUST_PROXY: proxySetting.trusted }) };
});

const origin = "http://127.0.0.1:3000";

async function sessionCookie(sub: string): Promise<string> {
  const token = await encode({ token: { sub }, secret: getAuthSecret() });
  return `next-auth.session-token=${token}`;
}

function request(path: string, cookie?: string, headers: Record<string, string> = {}, method = "GET"): NextRequest {
  return new NextRequest(new URL(path, origin), { method, headers: { ...headers, ...(cookie ? { cookie } : {}) } });
}

/**
 * Request headers that Next.js passes on after this proxy response, or null when the request
 * passes on unchanged. Next.js 16 reads them from `x-middleware-override-headers` and
 * `x-middleware-request-<name>`, which `NextResponse.next({ request: { headers } })` sets.
 */
function forwardedRequestHeaders(response: Response): Record<string, string> | null {
  const names = response.headers.get("x-middleware-override-headers");
  if (names === null) return null;
  return Object.fromEntries(
    names.split(",").map((name) => [name, response.headers.get(`x-middleware-request-${name}`) ?? ""]),
  );
}

describe("proxy", () => {
  it("redirects an anonymous page request to sign-in with the callback URL", async () => {
    const response = await proxy(request("/w/abc/backlog?sort=rice"));
    const location = new URL(response.headers.get("location") ?? "", origin);

    expect(response.status).toBe(307);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("callbackUrl")).toBe("/w/abc/backlog?sort=rice");
  });

  it.each(["/signin", "/signin?callbackUrl=%2Fadmin", "/setup", "/signout", "/favicon.ico"])(
    "lets %s through anonymously",
    async (path) => {
      const response = await proxy(request(path));

      expect(response.headers.get("location")).toBeNull();
    },
  );

  it("rejects a cross-site post to a page, even signed in", async () => {
    const cookie = await sessionCookie("00000000-0000-4000-8000-000000000001");
    const response = await proxy(request("/w/abc/backlog", cookie, { "sec-fetch-site": "cross-site" }, "POST"));

    expect(response.status).toBe(403);
  });

  it("lets a same-origin post to a page through", async () => {
    const cookie = await sessionCookie("00000000-0000-4000-8000-000000000001");
    const response = await proxy(request("/w/abc/backlog", cookie, { "sec-fetch-site": "same-origin" }, "POST"));

    expect(response.status).toBe(200);
  });

  it("lets a cross-site link to a page through", async () => {
    const cookie = await sessionCookie("00000000-0000-4000-8000-000000000001");
    const response = await proxy(request("/w/abc/backlog", cookie, { "sec-fetch-site": "cross-site" }));

    expect(response.status).toBe(200);
  });

  it("lets a request with a valid session cookie through", async () => {
    const response = await proxy(request("/admin", await sessionCookie("00000000-0000-4000-8000-000000000001")));

    expect(response.headers.get("location")).toBeNull();
  });

  it("redirects a request whose cookie is not a valid session", async () => {
    const response = await proxy(request("/admin", "next-auth.session-token=forged"));

    expect(response.headers.get("location")).toContain("/signin");
  });

  describe("X-Forwarded-Host", () => {
    const proxied = { host: "127.0.0.1:3000", "x-forwarded-host": "evil.example" };

    afterEach(() => {
      proxySetting.trusted = false;
    });

    it("is removed from a signed-in request without TRUST_PROXY", async () => {
      const cookie = await sessionCookie("00000000-0000-4000-8000-000000000001");
      const response = await proxy(request("/admin", cookie, { ...proxied, "next-action": "abc123" }));
      const forwarded = forwardedRequestHeaders(response);

      expect(forwarded).not.toBeNull();
      expect(forwarded).not.toHaveProperty("x-forwarded-host");
      expect(forwarded?.host).toBe("127.0.0.1:3000");
      expect(forwarded?.["next-action"]).toBe("abc123");
    });

    it("is removed from a public page request without TRUST_PROXY", async () => {
      const forwarded = forwardedRequestHeaders(await proxy(request("/setup", undefined, proxied)));

      expect(forwarded).not.toHaveProperty("x-forwarded-host");
    });

    it("is kept with TRUST_PROXY", async () => {
      proxySetting.trusted = true;
      const response = await proxy(request("/setup", undefined, proxied));

      expect(forwardedRequestHeaders(response)).toBeNull();
    });

    it("leaves a request without it unchanged", async () => {
      const response = await proxy(request("/setup", undefined, { host: "127.0.0.1:3000" }));

      expect(forwardedRequestHeaders(response)).toBeNull();
    });
  });

  describe("matcher", () => {
    it.each([
      ["/admin", true],
      ["/favicon.ico", true],
      // A dynamic segment with a dot still renders a page, which can run server actions.
      ["/w/abc/backlog/items/a.b", true],
      ["/api/v1/tokens", false],
      ["/_next/static/chunks/main.js", false],
    ])("matches %s: %s", async (url, expected) => {
      // Next.js's server sets this global at start-up, and its matcher helper needs it.
      (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
      const { unstable_doesMiddlewareMatch } = await import("next/experimental/testing/server");

      expect(unstable_doesMiddlewareMatch({ config, url })).toBe(expected);
    });
  });
});
