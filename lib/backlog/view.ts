import { is } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { getBacklogSettings, listBacklogItems } from "@/db/queries/backlog";
import { countPendingProposals, type LatestInputRow, listLatestInputRows } from "@/db/queries/backlog-inputs";
import type { BacklogItem, Framework, IceMode } from "@/db/schema";
import {
  type EffectiveInputs,
  type InputValues,
  resolveEffectiveInputs,
  toInputValues,
} from "@/lib/prioritization/effective";
import { type RankedEntry, type Ranking, rankItems } from "@/lib/prioritization/ranking";
import { type InputName, inputsOfFramework } from "@/lib/prioritization/scales";
import { readCachedRows } from "./ranking-cache";
import type { ItemFilters } from "./schemas";

/** A backlog item with its effective inputs: what the ranking, the pages and the API show. */
export interface BacklogRow extends BacklogItem {
  inputs: EffectiveInputs;
  values: InputValues;
  /** AI proposals with a value that wait for review, for every input. */
  pendingProposals: number;
  /** The same proposals counted per input; `countPendingProposalsOf` sums those of one framework. */
  pendingProposalsByInput: Partial<Record<InputName, number>>;
}

/** Count an item's proposals with a value that wait for review for the inputs of `framework`. */
export function countPendingProposalsOf(
  row: Pick<BacklogRow, "pendingProposalsByInput">,
  framework: Framework,
): number {
  return inputsOfFramework(framework).reduce((sum, name) => sum + (row.pendingProposalsByInput[name] ?? 0), 0);
}

function withPendingCounts<Row>(row: Row, counts: Partial<Record<InputName, number>> | undefined) {
  const byInput = counts ?? {};
  const total = Object.values(byInput).reduce((sum, value) => sum + (value ?? 0), 0);
  return { ...row, pendingProposals: total, pendingProposalsByInput: byInput };
}

export type BacklogEntry = RankedEntry<BacklogRow>;
export type BacklogRanking = Ranking<BacklogRow>;

/** Format the short id that prompts and CSV files use: the external id such as `A01`, else `#12`. */
export function formatItemRef(item: Pick<BacklogItem, "externalId" | "number">): string {
  return item.externalId ?? `#${item.number}`;
}

export function groupByItem(rows: LatestInputRow[]): Map<string, LatestInputRow[]> {
  const byItem = new Map<string, LatestInputRow[]>();
  for (const row of rows) {
    const list = byItem.get(row.itemId) ?? [];
    list.push(row);
    byItem.set(row.itemId, list);
  }
  return byItem;
}

type LoadRowsParams = {
  workspaceId: string;
  itemIds?: string[];
  at?: Date;
  deleted?: "exclude" | "only" | "include";
  /** False skips counting the proposals that wait for review, so every row then has 0. */
  withPending?: boolean;
};

/**
 * Load items with their effective inputs. With `at`, items and inputs are as they were at that
 * time: items deleted then are left out, also when they were restored later.
 * Outside a transaction, the live items of a whole workspace come from the ranking cache (see
 * `ranking-cache.ts`). Inside one, the rows are read in it, so they include its own writes.
 */
export async function loadBacklogRows(db: Db, params: LoadRowsParams): Promise<BacklogRow[]> {
  const whole = !params.itemIds && !params.at && (params.deleted ?? "exclude") === "exclude";
  if (whole && !is(db, PgTransaction)) {
    const [rows, pending] = await Promise.all([
      readCachedRows(db, params.workspaceId, (tx) => readBacklogRows(tx, { ...params, withPending: false })),
      params.withPending === false ? noPendingCounts() : countPendingProposals(db, params),
    ]);
    return rows.map((row) => withPendingCounts(row, pending.get(row.id)));
  }
  return readBacklogRows(db, params);
}

async function noPendingCounts(): Promise<Map<string, Partial<Record<InputName, number>>>> {
  return new Map();
}

async function readBacklogRows(db: Db, params: LoadRowsParams): Promise<BacklogRow[]> {
  const items = await listBacklogItems(db, params);
  if (items.length === 0) return [];
  const scopedIds =
    params.itemIds ?? (params.deleted && params.deleted !== "exclude" ? items.map((item) => item.id) : undefined);
  const [inputRows, pending] = await Promise.all([
    listLatestInputRows(db, { workspaceId: params.workspaceId, itemIds: scopedIds, at: params.at }),
    params.at || params.withPending === false ? noPendingCounts() : countPendingProposals(db, params),
  ]);

  const rowsByItem = groupByItem(inputRows);
  return items.map((item) => {
    const inputs = resolveEffectiveInputs(rowsByItem.get(item.id) ?? []);
    return withPendingCounts({ ...item, inputs, values: toInputValues(inputs) }, pending.get(item.id));
  });
}

function matchesSearch(row: BacklogRow, search: string): boolean {
  const term = search.trim().toLowerCase();
  if (!term) return true;
  if (/^#?\d+$/.test(term) && row.number === Number(term.replace("#", ""))) return true;
  return [row.title, row.description, row.externalId ?? ""].some((text) => text.toLowerCase().includes(term));
}

function missingInputs(entry: BacklogEntry, framework: Framework): InputName[] {
  return inputsOfFramework(framework).filter((name) => entry.item.values[name] === undefined);
}

/** Whether an entry passes the filters; every filter given must match. */
export function matchesFilters(entry: BacklogEntry, filters: Partial<ItemFilters>, framework: Framework): boolean {
  const row = entry.item;
  if (filters.search && !matchesSearch(row, filters.search)) return false;
  if (filters.theme?.length && !filters.theme.includes(row.theme ?? "")) return false;
  if (filters.status?.length && !filters.status.includes(row.status)) return false;
  if (filters.source?.length) {
    const sources = Object.values(row.inputs).map((input) => input?.source);
    if (!filters.source.some((source) => sources.includes(source))) return false;
  }
  if (filters.missing?.length) {
    const missing = new Set(missingInputs(entry, framework));
    const wanted = filters.missing.includes("any") ? [...missing] : filters.missing;
    if (!wanted.some((name) => missing.has(name as InputName))) return false;
  }
  return true;
}

export interface BacklogRankingParams {
  workspaceId: string;
  /** Defaults to the workspace's chosen framework and ICE mode. */
  framework?: Framework;
  iceMode?: IceMode;
  filters?: Partial<ItemFilters>;
  at?: Date;
  /** False leaves out the counts of proposals waiting for review (one query fewer). */
  withPending?: boolean;
}

/**
 * Rank the workspace's live items. Filters choose which entries are returned, never the ranks:
 * a filtered list shows each item's rank in the whole backlog.
 */
export async function getBacklogRanking(db: Db, params: BacklogRankingParams): Promise<BacklogRanking> {
  const settings = await getBacklogSettings(db, params);
  const framework = params.framework ?? settings.framework;
  const iceMode = params.iceMode ?? settings.iceMode;
  const rows = await loadBacklogRows(db, {
    workspaceId: params.workspaceId,
    at: params.at,
    withPending: params.withPending,
  });
  const ranking = rankItems(rows, { framework, iceMode });

  const filters = params.filters;
  if (!filters) return ranking;
  const keep = (entry: BacklogEntry) => matchesFilters(entry, filters, framework);
  return { ...ranking, ranked: ranking.ranked.filter(keep), needsInput: ranking.needsInput.filter(keep) };
}
