import { describe, expect, it } from "vitest";
import { formatRateLimitMessage } from "./rate-limit";

describe("formatRateLimitMessage", () => {
  it("uses the singular for one second", () => {
    expect(formatRateLimitMessage(60, 1)).toBe(
      "Too many requests: the limit is 60 per minute for each token. Retry in 1 second.",
    );
  });

  it("uses the plural for other waits", () => {
    expect(formatRateLimitMessage(60, 42)).toBe(
      "Too many requests: the limit is 60 per minute for each token. Retry in 42 seconds.",
    );
  });
});
