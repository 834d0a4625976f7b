import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ChartView, loadBacklogPageView } from "@/components/backlog/backlog-data";
import { MAX_CHART_POINTS } from "@/components/backlog/chart-points";
import { parseBacklogQuery } from "@/components/backlog/query";
import { ValueEffortChart } from "@/components/backlog/value-effort-chart";
import type { DatabaseHandle, Db } from "@/db/client";
import { insertBacklogItems } from "@/db/queries/backlog";
import { insertItemInputs, type NewItemInput } from "@/db/queries/backlog-inputs";
import { getBacklogRanking } from "@/lib/backlog/view";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { createWorkspaceWithMember } from "./fixtures";

// The chart opens an item through the App Router, which a static render does not mount.
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: () => undefined }) }));

const LARGE_BACKLOG_SIZE = 3000;
const THEME_COUNT = 12;

/**
 * Insert `count` items with all four RICE inputs through the bulk helpers, so every item is ranked
 * and placed on the chart. Reach and effort vary, so the items spread over the four quadrants.
 */
async function seedRicedItems(db: Db, params: { workspaceId: string; userId: string; count: number }) {
  const items = await insertBacklogItems(db, {
    workspaceId: params.workspaceId,
    createdById: params.userId,
    items: Array.from({ length: params.count }, (_, index) => ({
      externalId: `B${index + 1}`,
      title: `Export the usage report as a spreadsheet, variant ${index + 1}`,
      description: "",
      theme: `Theme ${index % THEME_COUNT}`,
      status: "idea" as const,
      links: [],
    })),
  });
  const inputs: NewItemInput[] = items.flatMap((item, index) =>
    (
      [
        ["reach", 100 + (index % 900)],
        ["impact", [0.5, 1, 2, 3][index % 4] ?? 1],
        ["confidence", 80],
        ["effort", 1 + (index % 7)],
      ] as const
    ).map(([input, value]) => ({
      workspaceId: params.workspaceId,
      itemId: item.id,
      input,
      value,
      source: "import" as const,
      status: "active" as const,
    })),
  );
  await insertItemInputs(db, inputs);
  return items;
}

function renderChart(chart: ChartView, locale: "en" | "fr"): string {
  // createElement's types want `children` among the props, though it is passed as the third argument.
  const config = { locale, timeZone: "UTC", messages: locale === "en" ? en : fr } as unknown as ComponentProps<
    typeof NextIntlClientProvider
  >;
  const chartElement = createElement(ValueEffortChart, { framework: "rice", chart, workspaceId: "workspace" });
  return renderToStaticMarkup(createElement(NextIntlClientProvider, config, chartElement));
}

function sumCounts(chart: ChartView): number {
  return Object.values(chart.quadrantCounts).reduce((sum, count) => sum + count, 0);
}

describeEachEngine("backlog page view", (engine) => {
  let handle: DatabaseHandle;
  let largeWorkspaceId: string;
  let smallWorkspaceId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    const large = await createWorkspaceWithMember(handle.db);
    largeWorkspaceId = large.workspaceId;
    await seedRicedItems(handle.db, { ...large, count: LARGE_BACKLOG_SIZE });
    const small = await createWorkspaceWithMember(handle.db);
    smallWorkspaceId = small.workspaceId;
    await seedRicedItems(handle.db, { ...small, count: 5 });
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function loadView(workspaceId: string, query: Record<string, string> = {}) {
    return loadBacklogPageView(handle.db, { workspaceId, query: parseBacklogQuery(query) });
  }

  describe("large backlog", () => {
    it("caps the chart's points", async () => {
      const view = await loadView(largeWorkspaceId);

      expect(view.itemCount).toBe(LARGE_BACKLOG_SIZE);
      expect(view.chart.points).toHaveLength(MAX_CHART_POINTS);
      expect(view.chart.total).toBe(LARGE_BACKLOG_SIZE);
    });

    it("sends the best-ranked points in rank order", async () => {
      const view = await loadView(largeWorkspaceId);
      const ranking = await getBacklogRanking(handle.db, { workspaceId: largeWorkspaceId });
      const bestIds = ranking.ranked.slice(0, MAX_CHART_POINTS).map((entry) => entry.item.id);

      expect(view.chart.points.map((point) => point.id)).toEqual(bestIds);
    });

    it("counts quadrants over every item", async () => {
      const view = await loadView(largeWorkspaceId);

      expect(sumCounts(view.chart)).toBe(LARGE_BACKLOG_SIZE);
      expect(Object.values(view.chart.quadrantCounts).filter((count) => count > 0).length).toBeGreaterThan(1);
    });

    it("keeps the table page's rows on the chart", async () => {
      const lastPage = String(LARGE_BACKLOG_SIZE / 50);
      const view = await loadView(largeWorkspaceId, { page: lastPage });
      const pointIds = new Set(view.chart.points.map((point) => point.id));

      expect(view.ranked.rows).toHaveLength(50);
      expect(view.chart.points).toHaveLength(MAX_CHART_POINTS);
      for (const row of view.ranked.rows) expect(pointIds.has(row.id)).toBe(true);
    });

    it("keeps the serialized view small", async () => {
      const view = await loadView(largeWorkspaceId);

      // Sending all 3,000 points makes this view about 570 KB long.
      expect(JSON.stringify(view).length).toBeLessThan(200_000);
    });

    it("draws only the items that match the filters", async () => {
      const view = await loadView(largeWorkspaceId, { theme: "Theme 3" });
      const expected = LARGE_BACKLOG_SIZE / THEME_COUNT;

      expect(view.chart.total).toBe(expected);
      expect(view.chart.points).toHaveLength(expected);
      expect(sumCounts(view.chart)).toBe(expected);
    });

    it("renders the capped note in English", async () => {
      const view = await loadView(largeWorkspaceId);

      expect(renderChart(view.chart, "en")).toContain(`Showing ${MAX_CHART_POINTS} of 3,000 items`);
    });

    it("renders the capped note in French", async () => {
      const view = await loadView(largeWorkspaceId);
      const html = renderChart(view.chart, "fr").replace(/[\u202f\u00a0]/g, " ");

      expect(html).toContain(`${MAX_CHART_POINTS} éléments affichés sur 3 000`);
    });
  });

  describe("small backlog", () => {
    it("sends every point", async () => {
      const view = await loadView(smallWorkspaceId);

      expect(view.chart.points).toHaveLength(5);
      expect(view.chart.total).toBe(5);
      expect(sumCounts(view.chart)).toBe(5);
    });

    it("renders no capped note", async () => {
      const view = await loadView(smallWorkspaceId);

      expect(renderChart(view.chart, "en")).not.toContain('data-testid="chart-capped"');
    });

    it("labels quadrant counts in each language", async () => {
      const view = await loadView(smallWorkspaceId);
      const counts = view.chart.quadrantCounts;

      expect(renderChart(view.chart, "en")).toContain(`Quick win: ${counts.quick_win}`);
      expect(renderChart(view.chart, "fr")).toContain(`Gain rapide : ${counts.quick_win}`);
    });
  });
});
