import { describe, expect, it } from "vitest";
import { isLocale, negotiateLocale } from "./locales";

describe("negotiateLocale", () => {
  it("picks the highest weighted supported language", () => {
    expect(negotiateLocale("de-DE,de;q=0.9,fr;q=0.8,en;q=0.7")).toBe("fr");
  });

  it("matches a regional tag to its language", () => {
    expect(negotiateLocale("fr-CA")).toBe("fr");
  });

  it("keeps header order between equal weights", () => {
    expect(negotiateLocale("en, fr")).toBe("en");
  });

  it("ignores languages with weight zero", () => {
    expect(negotiateLocale("fr;q=0, en;q=0.5")).toBe("en");
  });

  it("returns undefined when nothing is supported", () => {
    expect(negotiateLocale("de, es;q=0.5")).toBeUndefined();
  });

  it("returns undefined without a header", () => {
    expect(negotiateLocale(null)).toBeUndefined();
  });
});

describe("isLocale", () => {
  it("accepts supported locales only", () => {
    expect(isLocale("fr")).toBe(true);
    expect(isLocale("de")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});
