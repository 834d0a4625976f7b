import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { setDatabaseForTests } from "@/db";
import { type DatabaseHandle, executeRows } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { hashPassword } from "@/lib/auth/password";
import { authenticateWithPassword } from "@/lib/auth/sign-in";
import { ADDRESS_CEILING_FACTOR, EMAIL_CEILING_FACTOR } from "@/lib/auth/sign-in-limits";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";

/**
 * Stored credentials and guessing them. Personal access tokens are kept only as a SHA-256 hash.
 * Password guessing is limited per email and client address, with looser ceilings per email and
 * per client address. Neither rotating addresses nor spraying one password over many emails gets
 * past the limits, and failures from one address do not lock the owner out elsewhere.
 */

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    session.userId ? { user: { id: session.userId }, expires: "2999-01-01T00:00:00.000Z" } : null,
}));

const tokensRoute = await import("@/app/api/v1/tokens/route");

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof AppError) return error.status;
    throw error;
  }
}

describeEachEngine("stored credentials", (engine) => {
  let handle: DatabaseHandle;
  const password = "correct horse battery staple";
  const maxAttempts = getEnv().SIGN_IN_MAX_ATTEMPTS;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    const passwordHash = await hashPassword(password);
    for (const email of ["owner@example.test", "target@example.test", "other@example.test"]) {
      const user = await insertUser(handle.db, { email, name: email, role: "member", passwordHash });
      if (email === "owner@example.test") session.userId = user.id;
    }
  });

  afterAll(async () => {
    session.userId = undefined;
    setDatabaseForTests(undefined);
    await handle?.close();
  });

  describe("personal access tokens", () => {
    it("stores only the hash of a created token", async () => {
      const response = await tokensRoute.POST(
        new Request("http://127.0.0.1/api/v1/tokens", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "ci" }),
        }),
        { params: Promise.resolve({}) },
      );
      const { token } = (await response.json()) as { token: { id: string; token: string } };
      const rows = await executeRows<Record<string, unknown>>(
        handle.db,
        sql`select * from api_token where id = ${token.id}`,
      );
      const stored = JSON.stringify(rows[0]);

      expect(response.status).toBe(201);
      expect(stored).not.toContain(token.token);
      expect(stored).not.toContain(token.token.slice(10));
      expect(rows[0]?.token_hash).toBe(createHash("sha256").update(token.token).digest("hex"));
    });

    it("never lists a token in full", async () => {
      const response = await tokensRoute.GET(new Request("http://127.0.0.1/api/v1/tokens"), {
        params: Promise.resolve({}),
      });
      const text = await response.text();
      const tokens = (JSON.parse(text) as { tokens: Array<Record<string, unknown>> }).tokens;

      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.every((token) => !("token" in token) && !("tokenHash" in token))).toBe(true);
      expect(text).not.toMatch(/rw_[A-Za-z0-9_-]{20,}/);
    });
  });

  describe("password guessing", () => {
    beforeEach(async () => {
      await handle.db.execute(sql`delete from sign_in_attempt`);
    });

    it("locks an email from one address after the limit", async () => {
      const attempts: number[] = [];
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        attempts.push(
          await statusOf(
            authenticateWithPassword({
              email: "target@example.test",
              password: `guess-${attempt}`,
              clientAddress: "198.51.100.1",
            }),
          ),
        );
      }
      const rightPassword = await statusOf(
        authenticateWithPassword({ email: "target@example.test", password, clientAddress: "198.51.100.1" }),
      );

      expect(attempts).toEqual(attempts.map(() => 401));
      expect(rightPassword).toBe(429);
    });

    it("keeps the email locked at its ceiling when the client rotates addresses", async () => {
      const ceiling = maxAttempts * EMAIL_CEILING_FACTOR;
      for (let attempt = 0; attempt < ceiling; attempt++) {
        await statusOf(
          authenticateWithPassword({
            email: "TARGET@example.test ",
            password: `guess-${attempt}`,
            clientAddress: `203.0.113.${attempt}`,
          }),
        );
      }
      const fromNewAddress = await statusOf(
        authenticateWithPassword({ email: "target@example.test", password, clientAddress: "192.0.2.200" }),
      );

      expect(fromNewAddress).toBe(429);
    });

    it("leaves the owner's address open when another address locks the email", async () => {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        await statusOf(
          authenticateWithPassword({
            email: "target@example.test",
            password: `guess-${attempt}`,
            clientAddress: "203.0.113.50",
          }),
        );
      }
      const fromAttacker = await statusOf(
        authenticateWithPassword({ email: "target@example.test", password, clientAddress: "203.0.113.50" }),
      );
      const fromOwner = await statusOf(
        authenticateWithPassword({ email: "target@example.test", password, clientAddress: "192.0.2.200" }),
      );

      expect(fromAttacker).toBe(429);
      expect(fromOwner).toBe(200);
    });

    it("locks an address that sprays one password over many emails", async () => {
      const ceiling = maxAttempts * ADDRESS_CEILING_FACTOR;
      for (let attempt = 0; attempt < ceiling; attempt++) {
        await statusOf(
          authenticateWithPassword({
            email: `nobody-${attempt}@example.test`,
            password: "Summer2026!",
            clientAddress: "198.51.100.9",
          }),
        );
      }
      const sprayed = await statusOf(
        authenticateWithPassword({ email: "other@example.test", password, clientAddress: "198.51.100.9" }),
      );
      const elsewhere = await statusOf(
        authenticateWithPassword({ email: "other@example.test", password, clientAddress: "198.51.100.10" }),
      );

      expect(sprayed).toBe(429);
      expect(elsewhere).toBe(200);
    });
  });
});
