import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";

describe("hashPassword", () => {
  it("produces the scrypt$N$r$p$salt$hash form", async () => {
    const stored = await hashPassword("correct horse battery staple");
    const [scheme, cost, blockSize, parallelism, salt, hash] = stored.split("$");

    expect(scheme).toBe("scrypt");
    expect(Number(cost)).toBe(2 ** 15);
    expect(Number(blockSize)).toBe(8);
    expect(Number(parallelism)).toBe(1);
    expect(Buffer.from(salt ?? "", "base64")).toHaveLength(16);
    expect(Buffer.from(hash ?? "", "base64")).toHaveLength(64);
  });

  it("never contains the password", async () => {
    expect(await hashPassword("rankwise-pm")).not.toContain("rankwise-pm");
  });

  it("salts each hash differently", async () => {
    expect(await hashPassword("same password")).not.toBe(await hashPassword("same password"));
  });
});

describe("verifyPassword", () => {
  it("accepts the right password", async () => {
    const stored = await hashPassword("s3cret-Passw0rd");

    expect(await verifyPassword("s3cret-Passw0rd", stored)).toBe(true);
  });

  it("rejects a wrong password", async () => {
    const stored = await hashPassword("s3cret-Passw0rd");

    expect(await verifyPassword("s3cret-passw0rd", stored)).toBe(false);
  });

  it("matches Unicode equivalents after NFKC normalization", async () => {
    // "é" as one code point, then as "e" plus a combining acute accent.
    const stored = await hashPassword("caf\u00e9");

    expect(await verifyPassword("cafe\u0301", stored)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["another scheme", "bcrypt$10$abc"],
    ["missing parts", "scrypt$32768$8$1$"],
  ])("rejects a malformed hash: %s", async (_case, stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });
});
