import { describe, expect, it } from "vitest";
import { InvalidEnvError, parseEnv } from "./env";

function messageOf(raw: Record<string, string | undefined>): string {
  try {
    parseEnv(raw);
  } catch (error) {
    if (error instanceof InvalidEnvError) return error.message;
    throw error;
  }
  throw new Error("parseEnv accepted the environment");
}

describe("parseEnv", () => {
  it("rejects DATABASE_URL=not-a-url naming the variable", () => {
    const message = messageOf({ DATABASE_URL: "not-a-url" });

    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("postgres://");
  });

  it("rejects a non-Postgres URL scheme", () => {
    expect(messageOf({ DATABASE_URL: "mysql://user@host/db" })).toContain("DATABASE_URL");
  });

  it("accepts a Postgres URL", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/rankwise" }).DATABASE_URL).toBe(
      "postgres://postgres@127.0.0.1:5432/rankwise",
    );
  });

  it("treats an empty value as unset", () => {
    const env = parseEnv({ DATABASE_URL: "", PGLITE_DATA_DIR: "" });

    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DATA_DIR).toBe(".data/pglite");
  });

  it("applies defaults on an empty environment", () => {
    const env = parseEnv({});

    expect(env.NODE_ENV).toBe("development");
    expect(env.DATABASE_POOL_MAX).toBe(10);
    expect(env.SIGN_IN_MAX_ATTEMPTS).toBe(5);
  });

  it("rejects a pool size that is not a positive integer", () => {
    expect(messageOf({ DATABASE_POOL_MAX: "0" })).toContain("DATABASE_POOL_MAX");
    expect(messageOf({ DATABASE_POOL_MAX: "many" })).toContain("DATABASE_POOL_MAX");
  });

  it("requires AUTH_SECRET in production", () => {
    expect(messageOf({ NODE_ENV: "production" })).toContain("AUTH_SECRET");
  });

  it("rejects a short AUTH_SECRET", () => {
    expect(messageOf({ AUTH_SECRET: "short" })).toContain("AUTH_SECRET");
  });

  it("lists every invalid variable at once", () => {
    const message = messageOf({ DATABASE_URL: "not-a-url", LOG_LEVEL: "loud" });

    expect(message).toContain("DATABASE_URL");
    expect(message).toContain("LOG_LEVEL");
  });

  it("parses boolean strings", () => {
    expect(parseEnv({ SEED_DEMO: "true" }).SEED_DEMO).toBe(true);
    expect(parseEnv({ SEED_DEMO: "0" }).SEED_DEMO).toBe(false);
    expect(messageOf({ SEED_DEMO: "yes" })).toContain("SEED_DEMO");
  });
});
