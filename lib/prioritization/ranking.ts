import type { IceMode } from "@/db/schema";
import type { InputValues } from "./effective";
import { type FrameworkScore, scoreFramework } from "./frameworks";
import { placeValueEffort, type QuadrantThresholds, type ValueEffortPlacement } from "./quadrants";
import { type Framework, frameworks, type InputName } from "./scales";

/** What ranking needs of an item: an id, its `#number` for stable ordering, and its input values. */
export interface RankableItem {
  id: string;
  number: number;
  values: InputValues;
}

export interface RankingOptions {
  framework: Framework;
  iceMode: IceMode;
  quadrantThresholds?: Partial<QuadrantThresholds>;
}

export interface RankedEntry<Item extends RankableItem> {
  item: Item;
  scores: Record<Framework, FrameworkScore>;
  /** Rank within each framework among the items it can score; null when the item needs input. */
  ranks: Record<Framework, number | null>;
  /** Rank in the chosen framework. */
  rank: number | null;
  /**
   * Per framework, its rank minus the chosen framework's rank: positive means the other framework
   * puts the item lower. Null when either rank is null.
   */
  rankDifferences: Record<Framework, number | null>;
  /** Inputs of the chosen framework that are missing or invalid. */
  missing: InputName[];
  valueEffort: ValueEffortPlacement;
}

export interface Ranking<Item extends RankableItem> {
  framework: Framework;
  iceMode: IceMode;
  /** Items the chosen framework scores, best first; ties share a rank and are ordered by number. */
  ranked: RankedEntry<Item>[];
  /** Items the chosen framework cannot score yet, by number. */
  needsInput: RankedEntry<Item>[];
}

/** Relative tolerance under which two scores count as equal, so float noise never splits a tie. */
const SCORE_TOLERANCE = 1e-9;

function sameScore(a: number, b: number): boolean {
  return Math.abs(a - b) <= SCORE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function scoreOf(score: FrameworkScore): number | null {
  return score.status === "scored" ? score.score : null;
}

/**
 * Standard competition ranks (1, 2, 2, 4) of the items a framework scores, keyed by item id.
 * Higher scores rank first.
 */
export function computeRanks(entries: ReadonlyArray<{ id: string; number: number; score: number | null }>) {
  const scored = entries
    .filter((entry): entry is { id: string; number: number; score: number } => entry.score !== null)
    .sort((a, b) => (sameScore(a.score, b.score) ? a.number - b.number : b.score - a.score));

  const ranks = new Map<string, number>();
  scored.forEach((entry, index) => {
    const previous = scored[index - 1];
    const rank = previous && sameScore(previous.score, entry.score) ? (ranks.get(previous.id) ?? index + 1) : index + 1;
    ranks.set(entry.id, rank);
  });
  return ranks;
}

/** Score every item in every framework and rank them by the chosen one, the others side by side. */
export function rankItems<Item extends RankableItem>(items: readonly Item[], options: RankingOptions): Ranking<Item> {
  const scored = items.map((item) => {
    const scores = Object.fromEntries(
      frameworks.map((framework) => [framework, scoreFramework(framework, item.values, options)]),
    ) as Record<Framework, FrameworkScore>;
    return { item, scores };
  });

  const ranksByFramework = Object.fromEntries(
    frameworks.map((framework) => [
      framework,
      computeRanks(
        scored.map(({ item, scores }) => ({ id: item.id, number: item.number, score: scoreOf(scores[framework]) })),
      ),
    ]),
  ) as Record<Framework, Map<string, number>>;

  const entries = scored.map(({ item, scores }): RankedEntry<Item> => {
    const ranks = Object.fromEntries(
      frameworks.map((framework) => [framework, ranksByFramework[framework].get(item.id) ?? null]),
    ) as Record<Framework, number | null>;
    const rank = ranks[options.framework];
    const rankDifferences = Object.fromEntries(
      frameworks.map((framework) => {
        const other = ranks[framework];
        return [framework, rank === null || other === null ? null : other - rank];
      }),
    ) as Record<Framework, number | null>;
    const primary = scores[options.framework];
    const missing = primary.status === "needs_input" ? [...primary.missing, ...primary.invalid] : [];
    const valueEffort = placeValueEffort(options.framework, item.values, options.quadrantThresholds);
    return { item, scores, ranks, rank, rankDifferences, missing, valueEffort };
  });

  const ranked = entries
    .filter((entry) => entry.rank !== null)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0) || a.item.number - b.item.number);
  const needsInput = entries.filter((entry) => entry.rank === null).sort((a, b) => a.item.number - b.item.number);
  return { framework: options.framework, iceMode: options.iceMode, ranked, needsInput };
}
