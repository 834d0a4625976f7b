import { createFormatter } from "next-intl";
import { describe, expect, it } from "vitest";
import type { PromptTestTarget } from "@/db/schema";
import { canStartRunAll, formatTestRunLabel } from "./test-run-view";

const targets: PromptTestTarget[] = [
  { language: "en", versionId: "00000000-0000-4000-8000-000000000001", versionNumber: 1, draftRevision: null },
  { language: "fr", versionId: null, versionNumber: null, draftRevision: 3 },
];
const run = { createdAt: new Date("2026-12-05T23:14:00Z"), targets };

function labelIn(locale: string, timeZone: string, draft: string) {
  const format = createFormatter({ locale, timeZone });
  return formatTestRunLabel(run, (date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" }), draft);
}

describe("formatTestRunLabel", () => {
  it("formats the date in French", () => {
    const label = labelIn("fr", "UTC", "brouillon");
    expect(label).toBe("5 déc. 2026, 23:14 · en v1, fr brouillon");
  });

  it("formats the date in English", () => {
    const label = labelIn("en", "UTC", "draft");
    expect(label).toBe("Dec 5, 2026, 11:14 PM · en v1, fr draft");
  });

  it("uses the given time zone", () => {
    const label = labelIn("fr", "Europe/Paris", "brouillon");
    expect(label).toBe("6 déc. 2026, 00:14 · en v1, fr brouillon");
  });
});

describe("canStartRunAll", () => {
  const running = { status: "running", totals: { pending: 2 } };
  const finished = { status: "completed", totals: { pending: 0 } };

  it("allows a start with cases and no run", () => {
    expect(canStartRunAll({ caseCount: 3, starting: false, matrix: null })).toBe(true);
  });

  it("blocks a start while one is being sent", () => {
    expect(canStartRunAll({ caseCount: 3, starting: true, matrix: null })).toBe(false);
  });

  it("blocks a start while the run on screen runs", () => {
    expect(canStartRunAll({ caseCount: 3, starting: false, matrix: running })).toBe(false);
  });

  it("allows a start once the run finished", () => {
    expect(canStartRunAll({ caseCount: 3, starting: false, matrix: finished })).toBe(true);
  });

  it("blocks a start without test cases", () => {
    expect(canStartRunAll({ caseCount: 0, starting: false, matrix: null })).toBe(false);
  });
});
