import { describe, expect, it } from "vitest";
import { getClientAddress } from "./client-address";

describe("getClientAddress", () => {
  it("ignores X-Forwarded-For without a trusted proxy", () => {
    expect(getClientAddress("203.0.113.7", false)).toBeNull();
  });

  it("takes the hop the trusted proxy appended", () => {
    expect(getClientAddress("198.51.100.1, 203.0.113.7", true)).toBe("203.0.113.7");
  });

  it("joins repeated headers before taking the last hop", () => {
    expect(getClientAddress(["198.51.100.1", "203.0.113.9"], true)).toBe("203.0.113.9");
  });

  it("returns null when the trusted proxy sent no header", () => {
    expect(getClientAddress(undefined, true)).toBeNull();
  });
});
