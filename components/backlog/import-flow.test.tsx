import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import { type ListedRowError, RowErrorTable } from "./import-flow";

// The import screen's server actions open the database, which a static render never calls.
vi.mock("@/app/(app)/w/[workspaceId]/backlog/actions", () => ({
  importCsvAction: vi.fn(),
  previewImportAction: vi.fn(),
}));

function render(errors: ListedRowError[]): string {
  return renderToStaticMarkup(
    <NextIntlClientProvider locale="en" timeZone="UTC" messages={en}>
      <RowErrorTable errors={errors} errorCount={errors.length} />
    </NextIntlClientProvider>,
  );
}

const hugeReach: ListedRowError = {
  row: 2,
  column: "reach",
  field: "reach",
  value: "1e308",
  code: "input_not_in_range",
  params: { input: "reach", value: 1e308, min: 0, max: 1e12 },
  message: "expected a number from 0 to 1000000000000 for reach, got 1e308",
};

describe("RowErrorTable", () => {
  it("shortens a huge value", () => {
    const html = render([hugeReach]);

    expect(html).toContain("got 1E308.");
    expect(html).not.toMatch(/\d{20}/);
  });

  it("wraps problems inside a scrolling box", () => {
    const html = render([hugeReach]);

    expect(html).toMatch(/<div class="[^"]*overflow-x-auto[^"]*" data-testid="row-errors">/);
    expect(html).toMatch(/<td class="[^"]*\[overflow-wrap:anywhere\][^"]*">Reach must be/);
  });
});
