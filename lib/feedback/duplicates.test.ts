import { describe, expect, it } from "vitest";
import { findDuplicate, titleSimilarity, titleWords } from "./duplicates";

describe("titleWords", () => {
  it("drops stop words, accents and plural s", () => {
    expect([...titleWords("Export the Dashboards as PDF")]).toEqual(["export", "dashboard", "pdf"]);
    expect([...titleWords("Thème du tableau")]).toEqual(["theme", "tableau"]);
  });
});

describe("findDuplicate", () => {
  const existing = [
    { id: "A01", title: "Export dashboards as PDF and send subscriptions as a PDF attachment" },
    { id: "A52", title: "Dark mode" },
  ];

  it("finds a reworded title", () => {
    expect(findDuplicate("Dark mode for the app", existing)?.id).toBe("A52");
  });

  it("finds a title contained in another", () => {
    expect(findDuplicate("Send subscriptions as a PDF attachment", existing)?.id).toBe("A01");
  });

  it("accepts a new need", () => {
    expect(findDuplicate("Schedule alerts on weekdays only", existing)).toBeNull();
  });

  it("keeps titles one word apart", () => {
    const items = [{ id: "X1", title: "Add dark mode to dashboards" }];
    expect(findDuplicate("Add dark mode to reports", items)).toBeNull();
  });

  it("keeps a short title inside a long one", () => {
    const items = [{ id: "X2", title: "Export data" }];
    expect(findDuplicate("Export data to Google Sheets", items)).toBeNull();
  });

  it("scores identical titles as 1", () => {
    expect(titleSimilarity("Dark mode", "dark modes")).toBe(1);
  });
});
