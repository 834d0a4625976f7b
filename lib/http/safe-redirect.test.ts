import { describe, expect, it } from "vitest";
import { toSafeRedirectPath } from "./safe-redirect";

describe("toSafeRedirectPath", () => {
  it("keeps a same-origin path with its query", () => {
    expect(toSafeRedirectPath("/w/123/backlog?sort=rice")).toBe("/w/123/backlog?sort=rice");
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["absolute URL", "https://evil.example/"],
    ["protocol-relative URL", "//evil.example/path"],
    ["backslash trick", "/\\evil.example"],
    ["javascript scheme", "javascript:alert(1)"],
    ["relative path", "admin"],
  ])("turns a %s into /", (_case, value) => {
    expect(toSafeRedirectPath(value)).toBe("/");
  });
});
