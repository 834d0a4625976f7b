import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { PrioritizationBatchView, ProposalView } from "@/lib/prioritization/ai-runs";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { BatchProposals, describeProposalStatus } from "./batch-proposals";

// The override editor calls server actions and the App Router, which a static render never uses.
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => undefined, push: () => undefined }) }));
vi.mock("@/app/(app)/w/[workspaceId]/backlog/actions", () => ({}));

const base: ProposalView = {
  id: "p-reach",
  batchId: "batch-1",
  itemId: "item-3",
  itemRef: "A03",
  itemNumber: 3,
  itemTitle: "PDF export",
  itemRank: null,
  input: "reach",
  value: 500,
  rationale: "Many requests.",
  evidenceIds: [],
  status: "proposed",
  overridden: false,
  current: null,
};

function render(proposals: ProposalView[], locale: "en" | "fr" = "en"): string {
  const batch: PrioritizationBatchView = {
    id: "batch-1",
    label: "Export",
    theme: "Export",
    itemRefs: ["A03"],
    proposals,
    filtered: null,
  };
  return renderToStaticMarkup(
    <NextIntlClientProvider locale={locale} timeZone="UTC" messages={locale === "en" ? en : fr}>
      <BatchProposals
        workspaceId="workspace"
        batch={batch}
        evidence={{}}
        canReview
        busy={false}
        onReview={() => undefined}
        onOverridden={() => undefined}
      />
    </NextIntlClientProvider>,
  );
}

function statusOf(html: string): string | undefined {
  return html.match(/data-testid="proposal-status">([^<]*)</)?.[1];
}

describe("describeProposalStatus", () => {
  it("shows a PM-settled proposal as overridden", () => {
    expect(describeProposalStatus({ status: "rejected", overridden: true })).toBe("overridden");
  });

  it("keeps a rejected proposal rejected", () => {
    expect(describeProposalStatus({ status: "rejected", overridden: false })).toBe("rejected");
  });
});

describe("BatchProposals", () => {
  it("labels an overridden proposal", () => {
    const overridden = {
      ...base,
      status: "rejected" as const,
      overridden: true,
      current: { value: 80, source: "pm" as const },
    };

    expect(statusOf(render([overridden]))).toBe("Overridden");
    expect(statusOf(render([overridden], "fr"))).toBe("Remplacée");
  });

  it("labels a rejected proposal", () => {
    expect(statusOf(render([{ ...base, status: "rejected" }]))).toBe("Rejected");
  });

  it("names the input and item on each button", () => {
    const html = render([base, { ...base, id: "p-effort", input: "effort", value: 3 }]);

    expect(html).toContain('aria-label="Accept Reach of A03"');
    expect(html).toContain('aria-label="Reject Reach of A03"');
    expect(html).toContain('aria-label="Override Reach of A03"');
    expect(html).toContain('aria-label="Accept Effort of A03"');
  });

  it("keeps the visible button text", () => {
    const html = render([base]);

    expect(html).toMatch(/aria-label="Accept Reach of A03"[^>]*>Accept<\/button>/);
  });

  it("names the buttons in French", () => {
    const html = render([base], "fr");

    expect(html).toContain('aria-label="Accepter Portée pour A03"');
    expect(html).toContain('aria-label="Rejeter Portée pour A03"');
    expect(html).toContain('aria-label="Remplacer Portée pour A03"');
  });
});
