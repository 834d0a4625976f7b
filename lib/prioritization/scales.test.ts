import { describe, expect, it } from "vitest";
import { localizeUnit } from "./scales";

describe("localizeUnit", () => {
  it("names units in English", () => {
    expect(localizeUnit("reach", "en")).toBe("people per quarter");
    expect(localizeUnit("confidence", "en")).toBe("%");
    expect(localizeUnit("effort", "en")).toBe("person-months");
  });

  it("names units in French", () => {
    expect(localizeUnit("reach", "fr")).toBe("personnes par trimestre");
    expect(localizeUnit("confidence", "fr")).toBe("%");
    expect(localizeUnit("effort", "fr")).toBe("mois-personne");
  });

  it("uses the primary tag of a regional language", () => {
    expect(localizeUnit("effort", "fr-CA")).toBe("mois-personne");
    expect(localizeUnit("effort", "FR_be")).toBe("mois-personne");
  });

  it("falls back to English for other languages", () => {
    expect(localizeUnit("effort", "de")).toBe("person-months");
    expect(localizeUnit("effort", "")).toBe("person-months");
  });

  it("returns undefined for unitless inputs", () => {
    expect(localizeUnit("impact", "fr")).toBeUndefined();
    expect(localizeUnit("job_size", "en")).toBeUndefined();
  });
});
