import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import type { BacklogRowView } from "./backlog-data";
import { NeedsInputTable } from "./backlog-tables";
import { parseBacklogQuery } from "./query";

// The pagination links read the current path from the App Router, which a static render does not mount.
vi.mock("next/navigation", () => ({ usePathname: () => "/w/workspace/backlog" }));

const row: BacklogRowView = {
  id: "item-1",
  number: 1,
  ref: "A01",
  title: "PDF export",
  theme: null,
  status: "idea",
  version: 1,
  rank: null,
  score: null,
  ranks: { rice: null, ice: null, wsjf: null },
  differences: { rice: null, ice: null, wsjf: null },
  inputs: [],
  missing: ["reach"],
  pendingProposals: 0,
  quadrant: null,
};

function render(locale: "en" | "fr"): string {
  // createElement's types want `children` among the props, though it is passed as the third argument.
  const config = { locale, timeZone: "UTC", messages: locale === "en" ? en : fr } as unknown as ComponentProps<
    typeof NextIntlClientProvider
  >;
  const table = createElement(NeedsInputTable, {
    workspaceId: "workspace",
    framework: "rice",
    page: { rows: [row], page: 1, pageCount: 1, total: 1 },
    query: parseBacklogQuery({}),
    selected: new Set<string>(),
    onToggle: () => undefined,
    selectable: false,
  });
  return renderToStaticMarkup(createElement(NextIntlClientProvider, config, table));
}

describe("NeedsInputTable", () => {
  it("labels the missing inputs for screen readers in English", () => {
    expect(render("en")).toContain('<span class="sr-only">Needs input: </span>');
  });

  it("labels the missing inputs for screen readers in French", () => {
    expect(render("fr")).toContain('<span class="sr-only">Valeurs manquantes : </span>');
  });
});
