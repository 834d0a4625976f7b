import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { PromptTestResult } from "@/db/schema";
import type { TestMatrix } from "@/lib/prompt-admin/test-matrix";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { TestMatrixView } from "./test-matrix";

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared messages this way.
type UntypedMessages = Record<string, any>;

const result = { verdict: "passed", latencyMs: 1234 } as PromptTestResult;

const matrix = {
  testRun: {
    id: "run",
    promptKey: "explainer",
    mode: "matrix",
    pipelineRunId: null,
    targets: [{ language: "en", versionId: "v1", versionNumber: 1, draftRevision: null }],
    createdBy: null,
    createdAt: new Date("2026-12-05T23:14:00Z"),
  },
  status: "completed",
  cases: [{ id: "case", name: "Short answer", language: "en" }],
  cells: [{ caseId: "case", language: "en", state: "passed", result }],
  totals: { passed: 1, failed: 0, error: 0, pending: 0 },
} satisfies TestMatrix;

function renderText(locale: "en" | "fr"): string {
  const view = createElement(TestMatrixView, { matrix, cases: [], caption: "Run all" });
  const config: ComponentProps<typeof NextIntlClientProvider> = {
    locale,
    messages: (locale === "en" ? en : fr) as UntypedMessages,
    timeZone: "UTC",
    children: view,
  };
  return renderToStaticMarkup(createElement(NextIntlClientProvider, config)).replace(/<[^>]+>/g, " ");
}

describe("TestMatrixView latency", () => {
  it("formats the latency in English", () => {
    expect(renderText("en")).toContain("1,234 ms");
  });

  it("formats the latency in French", () => {
    // French groups digits with a narrow no-break space (U+202F).
    expect(renderText("fr")).toContain("1\u202f234 ms");
  });
});
