import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import NextAuth, { type NextAuthOptions } from "next-auth";
import { decode, encode, type JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { getRevokedSession, insertRevokedSession } from "@/db/queries/sessions";
import { insertUser } from "@/db/queries/users";
import { addMember } from "@/db/queries/workspaces";
import { revokedSession, user } from "@/db/schema";
import { authRouteOptions } from "@/lib/auth/options";
import { hashPassword } from "@/lib/auth/password";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/sessions";
import { getAuthSecret } from "@/lib/env";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { callRoute, createWorkspace } from "../api/harness";

// Outside a Next.js request, next/headers has no cookie store, so getServerSession reads the
// cookies of the request under test from here. Decoding, the callbacks and the database checks
// are still next-auth's and the app's own.
const requestCookies = vi.hoisted(() => ({ current: {} as Record<string, string> }));
vi.mock("next-auth", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth")>();
  const response = { getHeader() {}, setCookie() {}, setHeader() {} };
  return {
    ...actual,
    getServerSession: (options: NextAuthOptions) =>
      actual.getServerSession({ headers: {}, cookies: requestCookies.current } as never, response as never, options),
  };
});

// Lets tests make the revocation lookup or its insert fail as a lost database connection would.
const revocationLookup = vi.hoisted(() => ({ fails: false }));
const revocationInsert = vi.hoisted(() => ({ fails: false }));
vi.mock("@/db/queries/sessions", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/db/queries/sessions")>();
  return {
    ...actual,
    getRevokedSession: (...args: Parameters<typeof actual.getRevokedSession>) => {
      if (revocationLookup.fails) return Promise.reject(new Error("connection terminated unexpectedly"));
      return actual.getRevokedSession(...args);
    },
    insertRevokedSession: (...args: Parameters<typeof actual.insertRevokedSession>) => {
      if (revocationInsert.fails) return Promise.reject(new Error("connection terminated unexpectedly"));
      return actual.insertRevokedSession(...args);
    },
  };
});

const rankingRoute = await import("@/app/api/v1/workspaces/[workspaceId]/ranking/route");

const SESSION_COOKIE = "next-auth.session-token";
const CSRF_COOKIE = "next-auth.csrf-token";

/** Encode a session cookie value as next-auth does, with the app's secret and max age. */
function mintSessionToken(claims: JWT): Promise<string> {
  return encode({ token: claims, secret: getAuthSecret(), maxAge: SESSION_MAX_AGE_SECONDS });
}

interface AuthResponse {
  status: number;
  /** Cookies the response sets, by name. An empty value clears the cookie. */
  cookies: Record<string, string>;
  body: unknown;
}

/**
 * Run next-auth's request handler with the options of app/api/auth/[...nextauth], through its
 * Node API entry point (the App Router entry point reads cookies from next/headers, which needs a
 * Next.js request).
 */
async function callAuth(params: {
  action: "csrf" | "session" | "signout" | "callback";
  method: "GET" | "POST";
  cookies?: Record<string, string>;
  body?: Record<string, string>;
  providerId?: string;
}): Promise<AuthResponse> {
  const result: AuthResponse = { status: 200, cookies: {}, body: undefined };
  const setCookies: string[] = [];
  const response = {
    status(code: number) {
      result.status = code;
      return response;
    },
    getHeader: (name: string) => (name.toLowerCase() === "set-cookie" ? setCookies : undefined),
    setHeader(name: string, value: string | string[]) {
      if (name.toLowerCase() === "set-cookie") setCookies.splice(0, setCookies.length, ...[value].flat());
      return response;
    },
    send(body: unknown) {
      result.body = body;
    },
    json(body: unknown) {
      result.body = body;
    },
    end() {},
  };
  const request = {
    method: params.method,
    query: { nextauth: [params.action, ...(params.providerId ? [params.providerId] : [])] },
    cookies: params.cookies ?? {},
    body: params.body ?? {},
    headers: { host: "127.0.0.1" },
  };

  await NextAuth(request as never, response as never, authRouteOptions);
  for (const header of setCookies) {
    const pair = header.split(";")[0] ?? "";
    const separator = pair.indexOf("=");
    result.cookies[pair.slice(0, separator)] = decodeURIComponent(pair.slice(separator + 1));
  }
  return result;
}

/** Fetch a CSRF cookie and its token from next-auth, which its POST actions require. */
async function getCsrf(): Promise<{ cookie: string; token: string }> {
  const response = await callAuth({ action: "csrf", method: "GET" });
  const cookie = response.cookies[CSRF_COOKIE];
  const token = (response.body as { csrfToken?: string } | undefined)?.csrfToken;
  if (!cookie || !token) throw new Error("next-auth returned no CSRF cookie or token");
  return { cookie, token };
}

/** Sign out through next-auth, as the sign-out button does, with this session cookie. */
async function signOut(sessionToken: string) {
  const csrf = await getCsrf();
  return callAuth({
    action: "signout",
    method: "POST",
    cookies: { [SESSION_COOKIE]: sessionToken, [CSRF_COOKIE]: csrf.cookie },
    body: { csrfToken: csrf.token },
  });
}

describeEachEngine("session revocation", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let userId: string;
  const email = `session-${randomUUID()}@example.test`;
  const password = "correct horse battery staple";

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    workspaceId = await createWorkspace(handle);
    const created = await insertUser(handle.db, {
      email,
      name: "Session User",
      passwordHash: await hashPassword(password),
      role: "member",
    });
    userId = created.id;
    await addMember(handle.db, { workspaceId, userId });
  });

  afterAll(async () => {
    requestCookies.current = {};
    setDatabaseForTests(undefined);
    await handle.close();
  });

  const getRanking = (sessionToken: string) => {
    requestCookies.current = { [SESSION_COOKIE]: sessionToken };
    return callRoute(rankingRoute.GET, {
      path: `/api/v1/workspaces/${workspaceId}/ranking`,
      headers: { cookie: `${SESSION_COOKIE}=${sessionToken}` },
      params: { workspaceId },
    });
  };
  const mintSession = (claims: JWT = {}) => mintSessionToken({ sub: userId, sid: randomUUID(), ...claims });

  it("sign-in issues a token with a session id", async () => {
    const csrf = await getCsrf();
    const response = await callAuth({
      action: "callback",
      providerId: "credentials",
      method: "POST",
      cookies: { [CSRF_COOKIE]: csrf.cookie },
      body: { csrfToken: csrf.token, email, password },
    });
    const sessionToken = response.cookies[SESSION_COOKIE];
    const claims = await decode({ token: sessionToken, secret: getAuthSecret() });

    expect(sessionToken).toBeDefined();
    expect(claims?.sub).toBe(userId);
    expect(claims?.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await getRanking(sessionToken ?? "")).status).toBe(200);
  });

  it("sign-out rejects the cookie but not other sessions", async () => {
    const signedOut = await mintSession();
    const other = await mintSession();
    expect((await getRanking(signedOut)).status).toBe(200);
    expect((await getRanking(other)).status).toBe(200);

    const response = await signOut(signedOut);
    expect(response.cookies[SESSION_COOKIE]).toBe("");
    expect((await getRanking(signedOut)).status).toBe(401);
    expect((await getRanking(other)).status).toBe(200);
  });

  it("sign-out stores the revocation with the session max age", async () => {
    const sessionToken = await mintSession();
    const sessionId = (await decode({ token: sessionToken, secret: getAuthSecret() }))?.sid ?? "";
    const before = Date.now();

    await signOut(sessionToken);
    const row = await getRevokedSession(handle.db, { sessionId });

    expect(row).toBeDefined();
    expect(row?.expiresAt.getTime()).toBeGreaterThanOrEqual(before + SESSION_MAX_AGE_SECONDS * 1000);
  });

  it("revocation by another instance applies at once", async () => {
    const sessionId = randomUUID();
    const sessionToken = await mintSession({ sid: sessionId });
    expect((await getRanking(sessionToken)).status).toBe(200);

    // Another instance writes only to the database; this process's cache has never seen the id.
    await insertRevokedSession(handle.db, { sessionId, userId, expiresAt: new Date(Date.now() + 60_000) });

    expect((await getRanking(sessionToken)).status).toBe(401);
  });

  it("signed-out session is not refreshed", async () => {
    const sessionToken = await mintSession();
    const valid = await callAuth({ action: "session", method: "GET", cookies: { [SESSION_COOKIE]: sessionToken } });
    expect((valid.body as { user?: { id?: string } }).user?.id).toBe(userId);

    await signOut(sessionToken);
    const refreshed = await callAuth({ action: "session", method: "GET", cookies: { [SESSION_COOKIE]: sessionToken } });
    const newToken = refreshed.cookies[SESSION_COOKIE];
    const newClaims = await decode({ token: newToken, secret: getAuthSecret() });

    expect(refreshed.body).toEqual({});
    expect(newClaims?.sub).toBeUndefined();
    expect(newClaims?.sid).toBeUndefined();
  });

  it("token without a session id is signed out", async () => {
    const legacy = await mintSessionToken({ sub: userId });

    expect((await getRanking(legacy)).status).toBe(401);
  });

  it("sign-out of a token without a session id stores nothing", async () => {
    const rowsBefore = await handle.db.select().from(revokedSession);

    const response = await signOut(await mintSessionToken({ sub: userId }));
    const rowsAfter = await handle.db.select().from(revokedSession);

    expect(response.cookies[SESSION_COOKIE]).toBe("");
    expect(rowsAfter).toHaveLength(rowsBefore.length);
  });

  it("revocation purges expired rows", async () => {
    const expiredId = randomUUID();
    await insertRevokedSession(handle.db, { sessionId: expiredId, userId, expiresAt: new Date(Date.now() - 1000) });

    await signOut(await mintSession());

    expect(await getRevokedSession(handle.db, { sessionId: expiredId })).toBeUndefined();
  });

  it("failed revocation insert still rejects the cookie here", async () => {
    const sessionToken = await mintSession();

    revocationInsert.fails = true;
    const response = await signOut(sessionToken).finally(() => {
      revocationInsert.fails = false;
    });

    expect(response.cookies[SESSION_COOKIE]).toBe("");
    expect((await getRanking(sessionToken)).status).toBe(401);
  });

  it("failed revocation lookup fails the request", async () => {
    const sessionToken = await mintSession();

    revocationLookup.fails = true;
    const response = await getRanking(sessionToken).finally(() => {
      revocationLookup.fails = false;
    });

    expect(response.status).not.toBe(401);
    expect(response.status).toBeGreaterThanOrEqual(500);
  });

  describe("session of a user who can no longer sign in", () => {
    it("is rejected when the user is disabled", async () => {
      const disabled = await insertUser(handle.db, {
        email: `disabled-${randomUUID()}@example.test`,
        name: "Disabled User",
        passwordHash: "not-a-real-hash",
        role: "member",
      });
      await addMember(handle.db, { workspaceId, userId: disabled.id });
      const sessionToken = await mintSession({ sub: disabled.id });
      expect((await getRanking(sessionToken)).status).toBe(200);

      await handle.db.update(user).set({ disabledAt: new Date() }).where(eq(user.id, disabled.id));

      expect((await getRanking(sessionToken)).status).toBe(401);
    });

    it("is rejected when the user is deleted", async () => {
      const deleted = await insertUser(handle.db, {
        email: `deleted-${randomUUID()}@example.test`,
        name: "Deleted User",
        passwordHash: "not-a-real-hash",
        role: "member",
      });
      await addMember(handle.db, { workspaceId, userId: deleted.id });
      const sessionToken = await mintSession({ sub: deleted.id });
      expect((await getRanking(sessionToken)).status).toBe(200);

      await handle.db.delete(user).where(eq(user.id, deleted.id));

      expect((await getRanking(sessionToken)).status).toBe(401);
    });
  });
});
