import { describe, expect, it } from "vitest";
import { computeBackoffMs, isRetryableStatus, parseResetDuration, parseRetryAfter, readRequestedWait } from "./retry";

describe("readRequestedWait", () => {
  it("prefers retry-after-ms", () => {
    expect(readRequestedWait({ "retry-after-ms": "250", "retry-after": "1" })).toEqual({
      waitMs: 250,
      source: "retry-after-ms",
    });
  });

  it("reads retry-after seconds", () => {
    expect(readRequestedWait({ "retry-after": "2" })).toEqual({ waitMs: 2000, source: "retry-after" });
  });

  it("reads retry-after as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");

    expect(readRequestedWait({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }, now)).toEqual({
      waitMs: 5000,
      source: "retry-after",
    });
  });

  it("uses the reset of the exhausted limit", () => {
    const headers = {
      "x-ratelimit-reset-requests": "1s",
      "x-ratelimit-reset-tokens": "6m0s",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-remaining-tokens": "5000",
    };

    expect(readRequestedWait(headers)).toEqual({ waitMs: 1000, source: "x-ratelimit-reset" });
  });

  it("uses the longer reset when neither limit says it is exhausted", () => {
    expect(readRequestedWait({ "x-ratelimit-reset-requests": "1s", "x-ratelimit-reset-tokens": "20ms" })?.waitMs).toBe(
      1000,
    );
  });

  it("returns undefined without usable headers", () => {
    expect(readRequestedWait({ "retry-after": "soon" })).toBeUndefined();
    expect(readRequestedWait(undefined)).toBeUndefined();
  });
});

describe("parseRetryAfter", () => {
  it("treats a past date as no wait", () => {
    expect(parseRetryAfter("Wed, 01 Jan 2020 00:00:00 GMT", Date.parse("2025-01-01T00:00:00Z"))).toBe(0);
  });

  it("accepts fractional seconds", () => {
    expect(parseRetryAfter("0.5")).toBe(500);
  });
});

describe("parseResetDuration", () => {
  it.each([
    ["250ms", 250],
    ["1s", 1000],
    ["6m0s", 360_000],
    ["1h2m3s", 3_723_000],
    ["1.5s", 1500],
    ["3", 3000],
  ])("parses %s", (value, expected) => {
    expect(parseResetDuration(value)).toBe(expected);
  });

  it("rejects other text", () => {
    expect(parseResetDuration("later")).toBeUndefined();
  });
});

describe("computeBackoffMs", () => {
  it("doubles the ceiling per retry up to the maximum", () => {
    const options = { baseMs: 100, maxMs: 1000, random: () => 0.999 };

    expect(computeBackoffMs(0, options)).toBe(99);
    expect(computeBackoffMs(2, options)).toBe(399);
    expect(computeBackoffMs(10, options)).toBe(999);
  });

  it("can wait zero with full jitter", () => {
    expect(computeBackoffMs(3, { baseMs: 100, maxMs: 1000, random: () => 0 })).toBe(0);
  });
});

describe("isRetryableStatus", () => {
  it.each([408, 409, 429, 500, 502, 503, 504])("retries %i", (status) => {
    expect(isRetryableStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 422])("does not retry %i", (status) => {
    expect(isRetryableStatus(status)).toBe(false);
  });
});
