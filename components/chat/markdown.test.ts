import { describe, expect, it } from "vitest";
import { citationNumber, linkCitations, sanitizeAnswerUrl } from "./markdown";

describe("sanitizeAnswerUrl", () => {
  it("keeps http and https links", () => {
    expect(sanitizeAnswerUrl("https://example.test/a?b=1")).toBe("https://example.test/a?b=1");
    expect(sanitizeAnswerUrl("http://example.test/")).toBe("http://example.test/");
  });

  it("drops other schemes and relative links", () => {
    expect(sanitizeAnswerUrl("javascript:alert(1)")).toBeNull();
    expect(sanitizeAnswerUrl("JaVaScRiPt:alert(1)")).toBeNull();
    expect(sanitizeAnswerUrl("data:text/html,<script>alert(1)</script>")).toBeNull();
    expect(sanitizeAnswerUrl("mailto:a@example.test")).toBeNull();
    expect(sanitizeAnswerUrl("/admin")).toBeNull();
    expect(sanitizeAnswerUrl("#other")).toBeNull();
  });

  it("keeps citation anchors", () => {
    expect(sanitizeAnswerUrl("#source-3")).toBe("#source-3");
  });
});

describe("linkCitations", () => {
  it("links known citations only", () => {
    expect(linkCitations("Reach is high [1][4].", new Set([1]))).toBe("Reach is high [[1]](#source-1)[4].");
  });

  it("leaves code and existing links alone", () => {
    const text = "Use `[1]` or [1](https://example.test) and\n```\n[1]\n```";
    expect(linkCitations(text, new Set([1]))).toBe(text);
  });
});

describe("citationNumber", () => {
  it("reads the number of a citation anchor", () => {
    expect(citationNumber("#source-12")).toBe(12);
    expect(citationNumber("https://example.test")).toBeUndefined();
  });
});
