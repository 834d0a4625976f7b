import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { insertUser } from "@/db/queries/users";
import { signInAttempt } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { authenticateWithPassword, registerUser, SignInRateLimitedError } from "@/lib/auth/sign-in";
import { ADDRESS_CEILING_FACTOR, EMAIL_CEILING_FACTOR, getSignInLimits } from "@/lib/auth/sign-in-limits";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";

// lib/auth/sign-in.ts reads the process-wide database; point it at each test database in turn.
const current = vi.hoisted(() => ({ handle: undefined as DatabaseHandle | undefined }));
vi.mock("@/db", () => ({
  getDb: async () => {
    if (!current.handle) throw new Error("test database not open");
    return current.handle.db;
  },
}));

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describeEachEngine("authenticateWithPassword", (engine) => {
  const password = "right-password";
  const maxAttempts = getEnv().SIGN_IN_MAX_ATTEMPTS;
  let passwordHash: string;

  beforeAll(async () => {
    passwordHash = await hashPassword(password);
  });

  beforeEach(async () => {
    await current.handle?.close();
    current.handle = await createTestDatabase(engine);
    await insertUser(current.handle.db, { email: "pm@example.com", name: "PM", role: "member", passwordHash });
  });

  afterAll(async () => {
    await current.handle?.close();
    current.handle = undefined;
  });

  it("returns the user for the right password", async () => {
    const user = await authenticateWithPassword({ email: "PM@example.com ", password, clientAddress: "a1" });

    expect(user.email).toBe("pm@example.com");
  });

  it("rejects a wrong password with 401", async () => {
    const error = await rejectionOf(
      authenticateWithPassword({ email: "pm@example.com", password: "x", clientAddress: "a1" }),
    );

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(401);
    expect((error as AppError).code).toBe("invalid_credentials");
  });

  it("rejects an unknown email with the same 401", async () => {
    const error = await rejectionOf(
      authenticateWithPassword({ email: "nobody@example.com", password, clientAddress: "a1" }),
    );

    expect((error as AppError).status).toBe(401);
    expect((error as AppError).message).toBe("Wrong email or password.");
  });

  it("blocks an email and address pair at the limit", async () => {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      await rejectionOf(authenticateWithPassword({ email: "pm@example.com", password: "x", clientAddress: "a1" }));
    }

    const error = await rejectionOf(
      authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "a1" }),
    );

    expect(error).toBeInstanceOf(SignInRateLimitedError);
    expect((error as AppError).status).toBe(429);
    expect((error as AppError).details?.retryAfterSeconds).toBe(getEnv().SIGN_IN_WINDOW_SECONDS);
  });

  it("lets the locked email sign in from another address", async () => {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      await rejectionOf(
        authenticateWithPassword({ email: "pm@example.com", password: "x", clientAddress: "attacker" }),
      );
    }

    const blocked = await rejectionOf(
      authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "attacker" }),
    );
    const user = await authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "office" });

    expect(blocked).toBeInstanceOf(SignInRateLimitedError);
    expect(user.email).toBe("pm@example.com");
  });

  it("blocks an email at the per-email ceiling over many addresses", async () => {
    const ceiling = maxAttempts * EMAIL_CEILING_FACTOR;
    // Each address stays below the per-pair limit, as in a brute force spread over many hosts.
    for (let attempt = 0; attempt < ceiling; attempt++) {
      const clientAddress = `a${Math.floor(attempt / (maxAttempts - 1))}`;
      await rejectionOf(authenticateWithPassword({ email: "pm@example.com", password: "x", clientAddress }));
    }

    const error = await rejectionOf(
      authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "new" }),
    );

    expect(error).toBeInstanceOf(SignInRateLimitedError);
  });

  it("allows an email below the per-email ceiling from a new address", async () => {
    const ceiling = maxAttempts * EMAIL_CEILING_FACTOR;
    for (let attempt = 0; attempt < ceiling - 1; attempt++) {
      const clientAddress = `a${Math.floor(attempt / (maxAttempts - 1))}`;
      await rejectionOf(authenticateWithPassword({ email: "pm@example.com", password: "x", clientAddress }));
    }

    const user = await authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "new" });

    expect(user.email).toBe("pm@example.com");
  });

  it("blocks a client address at the per-address ceiling over many emails", async () => {
    const ceiling = maxAttempts * ADDRESS_CEILING_FACTOR;
    for (let attempt = 0; attempt < ceiling; attempt++) {
      await rejectionOf(
        authenticateWithPassword({ email: `guess${attempt}@example.com`, password: "x", clientAddress: "attacker" }),
      );
    }

    const blocked = await rejectionOf(
      authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "attacker" }),
    );
    const other = await authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "office" });

    expect(blocked).toBeInstanceOf(SignInRateLimitedError);
    expect(other.email).toBe("pm@example.com");
  });

  it("blocks an email after the max failures when the address is unknown", async () => {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      await rejectionOf(authenticateWithPassword({ email: "pm@example.com", password: "x", clientAddress: null }));
    }

    const error = await rejectionOf(
      authenticateWithPassword({ email: "pm@example.com", password, clientAddress: null }),
    );

    expect(error).toBeInstanceOf(SignInRateLimitedError);
  });

  it("does not share failures between emails when the address is unknown", async () => {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      await rejectionOf(
        authenticateWithPassword({ email: `guess${attempt}@example.com`, password: "x", clientAddress: null }),
      );
    }

    const user = await authenticateWithPassword({ email: "pm@example.com", password, clientAddress: null });

    expect(user.email).toBe("pm@example.com");
  });

  it("allows sign-in below the limit", async () => {
    for (let attempt = 0; attempt < maxAttempts - 1; attempt++) {
      await rejectionOf(authenticateWithPassword({ email: "pm@example.com", password: "x", clientAddress: "a1" }));
    }

    const user = await authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "a1" });

    expect(user.email).toBe("pm@example.com");
  });

  it("ignores failures older than the window", async () => {
    const db = current.handle?.db;
    if (!db) throw new Error("test database not open");
    const longAgo = new Date(Date.now() - (getEnv().SIGN_IN_WINDOW_SECONDS + 60) * 1000);
    const limits = getSignInLimits({ email: "pm@example.com", clientAddress: "a1", maxAttempts });
    const stale = limits.flatMap((limit) =>
      Array.from({ length: limit.maxFailures }, () => ({ key: limit.key, attemptedAt: longAgo })),
    );
    await db.insert(signInAttempt).values(stale);

    const user = await authenticateWithPassword({ email: "pm@example.com", password, clientAddress: "a1" });

    expect(user.email).toBe("pm@example.com");
  });
});

describeEachEngine("registerUser", (engine) => {
  beforeAll(async () => {
    current.handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await current.handle?.close();
    current.handle = undefined;
  });

  it("makes the first account admin and later ones the requested role", async () => {
    const first = await registerUser({
      email: "first@example.com",
      name: "First",
      password: "password-1",
      role: "viewer",
    });
    const second = await registerUser({ email: "second@example.com", name: "Second", password: "password-2" });

    expect(first.role).toBe("admin");
    expect(second.role).toBe("member");
  });

  it("rejects an email already taken with 409", async () => {
    const error = await rejectionOf(
      registerUser({ email: "FIRST@example.com", name: "Again", password: "password-3" }),
    );

    expect((error as AppError).status).toBe(409);
    expect((error as AppError).code).toBe("email_taken");
  });

  it("stores a hash, never the password", async () => {
    const user = await registerUser({ email: "third@example.com", name: "Third", password: "password-4" });

    expect(user.passwordHash.startsWith("scrypt$")).toBe(true);
    expect(user.passwordHash).not.toContain("password-4");
  });
});
