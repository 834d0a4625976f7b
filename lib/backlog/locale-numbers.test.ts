import { describe, expect, it } from "vitest";
import { parseLocaleNumber } from "./locale-numbers";

describe("parseLocaleNumber", () => {
  it.each([
    ["1,000", 1000],
    ["1,000,000", 1000000],
    ["1,234.5", 1234.5],
    ["1.5", 1.5],
    ["1.000", 1],
    [".5", 0.5],
    ["-3", -3],
    [" 42 ", 42],
    ["1,5", 1.5],
  ])("reads %s in English as %d", (raw, expected) => {
    expect(parseLocaleNumber(raw, "en")).toBe(expected);
  });

  it.each([
    ["1,5", 1.5],
    ["2 000", 2000],
    ["2\u00a0000", 2000],
    ["1\u202f000\u202f000", 1000000],
    ["1 000 000 000", 1000000000],
    ["1 234,5", 1234.5],
    ["1,000", 1],
    ["1.5", 1.5],
    ["0.25", 0.25],
  ])("reads %s in French as %d", (raw, expected) => {
    expect(parseLocaleNumber(raw, "fr")).toBe(expected);
  });

  it("reads the hint's own maximum in each locale", () => {
    for (const locale of ["en", "fr"]) {
      const hint = new Intl.NumberFormat(locale).format(1000000000);

      expect(parseLocaleNumber(hint, locale)).toBe(1000000000);
    }
  });

  it.each(["1.000", "12.500"])("rejects %s in French as ambiguous", (raw) => {
    expect(parseLocaleNumber(raw, "fr")).toMatchObject({ code: "number_ambiguous", params: { value: raw } });
  });

  it("gives both readings of an ambiguous French number", () => {
    expect(parseLocaleNumber("12.500", "fr")).toMatchObject({
      code: "number_ambiguous",
      params: { value: "12.500", thousands: 12_500, decimal: 12.5 },
    });
  });

  it.each([
    ["en", "1 5"],
    ["en", "1,00,000"],
    ["en", ""],
    ["en", "lots"],
    ["fr", "1 5"],
    ["fr", "20 00"],
    ["fr", "1,2,3"],
  ])("rejects %j in %s as not a number", (locale, raw) => {
    expect(parseLocaleNumber(raw, locale)).toMatchObject({ code: "not_a_number" });
  });
});
