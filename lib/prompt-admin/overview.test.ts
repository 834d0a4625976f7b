import { describe, expect, it } from "vitest";
import { type LanguageOverview, markDrift } from "./overview";

function language(code: string, versionNumber: number, createdAt: string): LanguageOverview {
  return {
    language: code,
    published: null,
    latestVersion: { versionNumber, createdAt: new Date(createdAt), authorName: null },
    draft: null,
    lastEdit: null,
    lastTest: null,
    drift: null,
  };
}

describe("markDrift", () => {
  it("flags a language last changed before English", () => {
    const languages = [language("en", 7, "2026-05-02T10:00:00Z"), language("fr", 3, "2026-05-01T10:00:00Z")];
    markDrift(languages);

    expect(languages[1]?.drift).toEqual({ referenceLanguage: "en", referenceVersion: 7 });
    expect(languages[0]?.drift).toBeNull();
  });

  it("leaves a language changed after English in step", () => {
    const languages = [language("en", 7, "2026-05-01T10:00:00Z"), language("fr", 3, "2026-05-02T10:00:00Z")];
    markDrift(languages);

    expect(languages[1]?.drift).toBeNull();
  });

  it("leaves languages imported together in step", () => {
    const languages = [language("en", 1, "2026-05-01T10:00:00Z"), language("fr", 1, "2026-05-01T10:00:00Z")];
    markDrift(languages);

    expect(languages[1]?.drift).toBeNull();
  });
});
