import { describe, expect, it } from "vitest";
import { ADDRESS_CEILING_FACTOR, EMAIL_CEILING_FACTOR, getSignInLimits } from "./sign-in-limits";

describe("getSignInLimits", () => {
  it("gives the pair the configured limit and the ceilings their multiples", () => {
    const limits = getSignInLimits({ email: "pm@example.com", clientAddress: "203.0.113.7", maxAttempts: 5 });
    const byScope = new Map(limits.map((limit) => [limit.scope, limit.maxFailures]));

    expect(byScope.get("email_address")).toBe(5);
    expect(byScope.get("email")).toBe(5 * EMAIL_CEILING_FACTOR);
    expect(byScope.get("address")).toBe(5 * ADDRESS_CEILING_FACTOR);
  });

  it("keys the pair by both email and address", () => {
    const pairKey = (email: string, clientAddress: string) =>
      getSignInLimits({ email, clientAddress, maxAttempts: 5 }).find((limit) => limit.scope === "email_address")?.key;

    expect(pairKey("pm@example.com", "a")).not.toBe(pairKey("pm@example.com", "b"));
    expect(pairKey("pm@example.com", "a")).not.toBe(pairKey("dev@example.com", "a"));
  });

  it("skips the address ceiling when the address is unknown", () => {
    const limits = getSignInLimits({ email: "pm@example.com", clientAddress: null, maxAttempts: 5 });

    expect(limits.map((limit) => limit.scope)).toEqual(["email_address", "email"]);
  });
});
