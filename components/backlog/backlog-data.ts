import type { Db } from "@/db/client";
import { getBacklogSettings, listBacklogThemes } from "@/db/queries/backlog";
import type { InputSource, ItemStatus } from "@/db/schema";
import {
  type BacklogEntry,
  countPendingProposalsOf,
  formatItemRef,
  getBacklogRanking,
  matchesFilters,
} from "@/lib/backlog/view";
import { type Quadrant, quadrants } from "@/lib/prioritization/quadrants";
import { type Framework, type InputName, inputsOfFramework } from "@/lib/prioritization/scales";
import { truncateText } from "@/lib/text";
import { MAX_CHART_POINTS, selectChartItems } from "./chart-points";
import type { BacklogQuery } from "./query";

/** Rows per table page: enough to scan, small enough that a 1,000-item backlog renders fast. */
export const PAGE_SIZE = 50;

export interface BacklogRowView {
  id: string;
  number: number;
  ref: string;
  title: string;
  theme: string | null;
  status: ItemStatus;
  version: number;
  rank: number | null;
  /** Score in the chosen framework; null when the item needs input. */
  score: number | null;
  ranks: Record<Framework, number | null>;
  /** Other framework's rank minus the chosen one's: positive means the other ranks it lower. */
  differences: Record<Framework, number | null>;
  /** The chosen framework's inputs, in order, with their effective value and its source. */
  inputs: Array<{ name: InputName; value: number | null; source: InputSource | null }>;
  missing: InputName[];
  /** AI proposals with a value that wait for review, for the chosen framework's inputs only. */
  pendingProposals: number;
  quadrant: Quadrant | null;
}

export interface ChartPoint {
  id: string;
  /** Short id such as `A01`. Not named `ref`: recharts spreads each point onto SVG elements, where `ref` is React's. */
  itemRef: string;
  title: string;
  value: number;
  effort: number;
  quadrant: Quadrant;
}

/** Data of the value vs effort chart: a bounded sample of points, and counts over every matching item. */
export interface ChartView {
  /** At most `MAX_CHART_POINTS` points in rank order, including the ranked table's current rows. */
  points: ChartPoint[];
  /** Count of ranked items that match the filters and have a value and an effort. It exceeds `points.length` when capped. */
  total: number;
  /** Count of the `total` items in each quadrant. */
  quadrantCounts: Record<Quadrant, number>;
}

export interface TablePage {
  rows: BacklogRowView[];
  page: number;
  pageCount: number;
  total: number;
}

export interface BacklogPageView {
  framework: Framework;
  /** The workspace's saved framework, used when the URL names none. */
  workspaceFramework: Framework;
  itemCount: number;
  ranked: TablePage;
  needsInput: TablePage;
  chart: ChartView;
  themes: string[];
  /** Items matching the filters; "select all" loads their ids on demand (`listMatchingItemIds`). */
  matchingCount: number;
}

/** Title length shown in the chart's tooltip, kept short because the chart carries up to `MAX_CHART_POINTS` items. */
const CHART_TITLE_CHARS = 80;

/** List the ids of every item that matches the filters, for "select all matching". */
export async function listMatchingItemIds(
  db: Db,
  params: { workspaceId: string; query: BacklogQuery },
): Promise<string[]> {
  const settings = await getBacklogSettings(db, params);
  const framework = params.query.framework ?? settings.framework;
  const ranking = await getBacklogRanking(db, { workspaceId: params.workspaceId, framework, filters: params.query });
  return [...ranking.ranked, ...ranking.needsInput].map((entry) => entry.item.id);
}

function toRow(entry: BacklogEntry, framework: Framework): BacklogRowView {
  const item = entry.item;
  const score = entry.scores[framework];
  return {
    id: item.id,
    number: item.number,
    ref: formatItemRef(item),
    title: item.title,
    theme: item.theme,
    status: item.status,
    version: item.version,
    rank: entry.rank,
    score: score.status === "scored" ? score.score : null,
    ranks: entry.ranks,
    differences: entry.rankDifferences,
    inputs: inputsOfFramework(framework).map((name) => ({
      name,
      value: item.inputs[name]?.value ?? null,
      source: item.inputs[name]?.source ?? null,
    })),
    missing: entry.missing,
    pendingProposals: countPendingProposalsOf(item, framework),
    quadrant: entry.valueEffort.status === "placed" ? entry.valueEffort.quadrant : null,
  };
}

function paginate(entries: BacklogEntry[], page: number, framework: Framework): TablePage {
  const pageCount = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const current = Math.min(page, pageCount);
  const rows = entries.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE).map((entry) => toRow(entry, framework));
  return { rows, page: current, pageCount, total: entries.length };
}

type PlacedEntry = BacklogEntry & { valueEffort: { status: "placed" } };

function toChartPoint(entry: PlacedEntry): ChartPoint {
  return {
    id: entry.item.id,
    itemRef: formatItemRef(entry.item),
    title: truncateText(entry.item.title, CHART_TITLE_CHARS),
    value: entry.valueEffort.value,
    effort: entry.valueEffort.effort,
    quadrant: entry.valueEffort.quadrant,
  };
}

/**
 * Build the chart's data from the ranked entries that match the filters, in rank order. Only the
 * chosen entries become points, so every other entry costs a filter test and a quadrant count.
 */
function buildChartView(ranked: BacklogEntry[], tableRows: BacklogRowView[]): ChartView {
  const placed = ranked.filter((entry): entry is PlacedEntry => entry.valueEffort.status === "placed");
  const quadrantCounts = Object.fromEntries(quadrants.map((quadrant) => [quadrant, 0])) as Record<Quadrant, number>;
  for (const entry of placed) quadrantCounts[entry.valueEffort.quadrant] += 1;

  // NOTE: selection lives in the client, so a selected item on another table page is drawn only
  // when it ranks within the cap.
  const chosen = selectChartItems(placed, {
    idOf: (entry) => entry.item.id,
    keep: new Set(tableRows.map((row) => row.id)),
    max: MAX_CHART_POINTS,
  });
  return { points: chosen.map(toChartPoint), total: placed.length, quadrantCounts };
}

/**
 * Everything the backlog page shows, read from the database and scored in code: nothing here
 * waits on a model. Ranks come from the whole backlog; the filters only choose rows.
 */
export async function loadBacklogPageView(
  db: Db,
  params: { workspaceId: string; query: BacklogQuery },
): Promise<BacklogPageView> {
  const settings = await getBacklogSettings(db, params);
  const framework = params.query.framework ?? settings.framework;
  const [ranking, themes] = await Promise.all([
    getBacklogRanking(db, { workspaceId: params.workspaceId, framework }),
    listBacklogThemes(db, params),
  ]);

  const keep = (entry: BacklogEntry) => matchesFilters(entry, params.query, framework);
  const ranked = ranking.ranked.filter(keep);
  const needsInput = ranking.needsInput.filter(keep);
  const rankedPage = paginate(ranked, params.query.page, framework);

  return {
    framework,
    workspaceFramework: settings.framework,
    itemCount: ranking.ranked.length + ranking.needsInput.length,
    ranked: rankedPage,
    needsInput: paginate(needsInput, params.query.needsPage, framework),
    chart: buildChartView(ranked, rankedPage.rows),
    themes: themes.flatMap((row) => (row.theme ? [row.theme] : [])),
    matchingCount: ranked.length + needsInput.length,
  };
}
