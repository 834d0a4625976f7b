import { describe, expect, it } from "vitest";
import { buildBacklogSearch, parseBacklogQuery } from "./query";

describe("parseBacklogQuery", () => {
  it("reads filters, framework and pages", () => {
    const query = parseBacklogQuery({
      framework: "wsjf",
      search: "export",
      theme: ["Export", "Sharing"],
      missing: "any",
      page: "3",
    });

    expect(query.framework).toBe("wsjf");
    expect(query.search).toBe("export");
    expect(query.theme).toEqual(["Export", "Sharing"]);
    expect(query.missing).toEqual(["any"]);
    expect(query.page).toBe(3);
    expect(query.needsPage).toBe(1);
  });

  it("ignores invalid values instead of failing", () => {
    const query = parseBacklogQuery({ framework: "moscow", status: "unknown", page: "-2", search: "ok" });

    expect(query.framework).toBeUndefined();
    expect(query.status).toBeUndefined();
    expect(query.page).toBe(1);
    expect(query.search).toBe("ok");
  });
});

describe("buildBacklogSearch", () => {
  it("resets pages when a filter changes", () => {
    const search = buildBacklogSearch({ framework: "ice", page: 4, theme: ["A"] }, { status: ["done"] });
    expect(search).toBe("?framework=ice&theme=A&status=done");
  });

  it("keeps a page that is set in the changes", () => {
    expect(buildBacklogSearch({ search: "pdf" }, { needsPage: 2 })).toBe("?search=pdf&needsPage=2");
  });

  it("returns nothing for the defaults", () => {
    expect(buildBacklogSearch({})).toBe("");
  });
});
