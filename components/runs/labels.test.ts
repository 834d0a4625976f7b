import { describe, expect, it } from "vitest";
import { languageLabel } from "./labels";

describe("languageLabel", () => {
  it("names languages in the UI locale", () => {
    expect(languageLabel("en", "fr")).toBe("anglais");
    expect(languageLabel("fr", "fr")).toBe("français");
    expect(languageLabel("fr", "en")).toBe("French");
  });

  it("returns an invalid code as is", () => {
    expect(languageLabel("not a code", "fr")).toBe("not a code");
  });
});
