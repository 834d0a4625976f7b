import type { IceMode, InputSource } from "@/db/schema";
import type { EffectiveInputs } from "./effective";
import type { RankableItem, Ranking } from "./ranking";
import { type Framework, type InputName, inputsOfFramework } from "./scales";

/** One input as it stood in a snapshot. */
export interface SnapshotInput {
  value: number;
  source: InputSource;
  evidenceIds: string[];
  /** The PM's reason or the model's rationale. */
  rationale: string | null;
}

export interface SnapshotItem {
  itemId: string;
  number: number;
  externalId: string | null;
  title: string;
  /** Rank in the snapshot's framework; null when the item needed input. */
  rank: number | null;
  score: number | null;
  inputs: Partial<Record<InputName, SnapshotInput>>;
}

/** A ranking frozen as plain JSON, so it can be stored (for example at the end of a run) and compared later. */
export interface RankingSnapshot {
  framework: Framework;
  iceMode: IceMode;
  /** ISO 8601 time the ranking describes. */
  takenAt: string;
  items: SnapshotItem[];
}

/** A ranked item with the fields a snapshot keeps beyond the ones ranking reads. */
export interface SnapshotSource extends RankableItem {
  externalId: string | null;
  title: string;
  inputs: EffectiveInputs;
}

export function createRankingSnapshot<Item extends SnapshotSource>(
  ranking: Ranking<Item>,
  takenAt: Date,
): RankingSnapshot {
  const items = [...ranking.ranked, ...ranking.needsInput].map(({ item, rank, scores }): SnapshotItem => {
    const inputs: Partial<Record<InputName, SnapshotInput>> = {};
    for (const [name, input] of Object.entries(item.inputs) as [InputName, NonNullable<EffectiveInputs[InputName]>][]) {
      inputs[name] = {
        value: input.value,
        source: input.source,
        evidenceIds: input.evidenceIds,
        rationale: input.rationale,
      };
    }
    const score = scores[ranking.framework];
    return {
      itemId: item.id,
      number: item.number,
      externalId: item.externalId,
      title: item.title,
      rank,
      score: score.status === "scored" ? score.score : null,
      inputs,
    };
  });
  return { framework: ranking.framework, iceMode: ranking.iceMode, takenAt: takenAt.toISOString(), items };
}

export interface InputChange {
  input: InputName;
  /** Null when the input had no value. */
  before: SnapshotInput | null;
  after: SnapshotInput | null;
}

/** moved: rank changed; added/removed: the item is in only one snapshot. */
export type RankChangeKind = "moved" | "added" | "removed";

export interface RankChange {
  itemId: string;
  number: number;
  externalId: string | null;
  title: string;
  kind: RankChangeKind;
  rankBefore: number | null;
  rankAfter: number | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  /** Changed values of the framework's inputs; empty when only other items moved this one. */
  inputChanges: InputChange[];
  /**
   * Refs (external id, else `#number`) of the items with changed inputs that went from below this
   * item to above it, best new rank first. Filled only for items whose own inputs did not change.
   */
  passedBy: string[];
  /** Set on an added item that existed before and was deleted: it came back rather than being new. */
  restored?: boolean;
}

function diffInputs(framework: Framework, before: SnapshotItem | undefined, after: SnapshotItem | undefined) {
  const changes: InputChange[] = [];
  for (const input of inputsOfFramework(framework)) {
    const previous = before?.inputs[input] ?? null;
    const next = after?.inputs[input] ?? null;
    if (previous?.value === next?.value) continue;
    changes.push({ input, before: previous, after: next });
  }
  return changes;
}

/**
 * List the items whose rank differs between two snapshots of the same framework, with the input
 * changes that moved them, best new rank first. An item that moved only because other items
 * moved is left out unless `includeIndirect` is set. Added and removed items are listed when
 * they are ranked in the snapshot that has them.
 */
export function listRankChanges(
  before: RankingSnapshot,
  after: RankingSnapshot,
  options: { includeIndirect?: boolean } = {},
): RankChange[] {
  if (before.framework !== after.framework) {
    throw new Error(`Cannot compare a ${before.framework} ranking with a ${after.framework} ranking.`);
  }
  const framework = after.framework;
  const beforeById = new Map(before.items.map((item) => [item.itemId, item]));
  const afterById = new Map(after.items.map((item) => [item.itemId, item]));
  const ids = new Set([...beforeById.keys(), ...afterById.keys()]);

  const changes: RankChange[] = [];
  for (const id of ids) {
    const previous = beforeById.get(id);
    const next = afterById.get(id);
    const rankBefore = previous?.rank ?? null;
    const rankAfter = next?.rank ?? null;
    let kind: RankChangeKind = "moved";
    if (!previous) kind = "added";
    else if (!next) kind = "removed";
    if (kind === "moved" && rankBefore === rankAfter) continue;
    if (kind !== "moved" && rankBefore === null && rankAfter === null) continue;

    const inputChanges = diffInputs(framework, previous, next);
    if (kind === "moved" && inputChanges.length === 0 && !options.includeIndirect) continue;
    const identity = (next ?? previous) as SnapshotItem;
    changes.push({
      itemId: id,
      number: identity.number,
      externalId: identity.externalId,
      title: identity.title,
      kind,
      rankBefore,
      rankAfter,
      scoreBefore: previous?.score ?? null,
      scoreAfter: next?.score ?? null,
      inputChanges,
      passedBy: [],
    });
  }

  fillPassedBy(changes);
  return changes.sort(
    (a, b) =>
      (a.rankAfter ?? Number.POSITIVE_INFINITY) - (b.rankAfter ?? Number.POSITIVE_INFINITY) || a.number - b.number,
  );
}

function formatItemRef(change: Pick<RankChange, "externalId" | "number">): string {
  return change.externalId ?? `#${change.number}`;
}

/** Check whether `passer` ranked below `item` (or needed input) before and ranks above it after. */
function hasPassed(passer: RankChange, item: RankChange): boolean {
  if (passer.rankAfter === null || item.rankAfter === null || item.rankBefore === null) return false;
  const wasBelow = passer.rankBefore === null || passer.rankBefore > item.rankBefore;
  return wasBelow && passer.rankAfter < item.rankAfter;
}

/**
 * Name, on each item that moved without an input change, the items with changed inputs that
 * overtook it. Only those can pass it: items whose inputs kept their values keep their order.
 */
function fillPassedBy(changes: RankChange[]): void {
  const direct = changes
    .filter((change) => change.inputChanges.length > 0)
    .sort((a, b) => (a.rankAfter ?? Number.POSITIVE_INFINITY) - (b.rankAfter ?? Number.POSITIVE_INFINITY));
  for (const change of changes) {
    if (change.kind !== "moved" || change.inputChanges.length > 0) continue;
    change.passedBy = direct.filter((passer) => hasPassed(passer, change)).map(formatItemRef);
  }
}

/** At most this many passing items are named in a summary line; the rest are counted. */
const MAX_NAMED_PASSERS = 3;

function formatPassedBy(passedBy: string[]): string {
  const named = passedBy.slice(0, MAX_NAMED_PASSERS).join(", ");
  const rest = passedBy.length - MAX_NAMED_PASSERS;
  return rest > 0 ? `passed by ${named} and ${rest} more` : `passed by ${named}`;
}

/** English input names for change lines; the UI uses its message catalogs instead. */
export const inputLabels: Record<InputName, string> = {
  reach: "reach",
  impact: "impact",
  confidence: "confidence",
  effort: "effort",
  ice_impact: "ICE impact",
  ice_confidence: "ICE confidence",
  ice_ease: "ease",
  business_value: "business value",
  time_criticality: "time criticality",
  risk_reduction: "risk reduction",
  job_size: "job size",
};

const sourceLabels: Record<InputSource, string> = { pm: "PM", ai: "AI", import: "import" };

/** Format a value with at most two decimals and no trailing zeros: 0.5, 2, 1234.57. */
export function formatInputNumber(value: number): string {
  return String(Number(value.toFixed(2)));
}

function formatRank(rank: number | null, change: RankChange, side: "before" | "after"): string {
  const { kind } = change;
  if (rank !== null) return `#${rank}`;
  if (kind === "added" && side === "before") return change.restored ? "restored" : "new";
  if (kind === "removed" && side === "after") return "removed";
  return "needs input";
}

function formatProvenance(input: SnapshotInput): string {
  const parts = [sourceLabels[input.source]];
  if (input.evidenceIds.length > 0) parts.push(`cites ${input.evidenceIds.join(", ")}`);
  else if (input.source === "pm" && input.rationale) parts.push(`reason: ${input.rationale}`);
  return `(${parts.join(", ")})`;
}

export function formatInputChange(change: InputChange): string {
  const before = change.before ? formatInputNumber(change.before.value) : "unset";
  const after = change.after ? formatInputNumber(change.after.value) : "unset";
  const provenance = change.after ? ` ${formatProvenance(change.after)}` : "";
  return `${inputLabels[change.input]} ${before} → ${after}${provenance}`;
}

/**
 * Format a change as one line such as `#7 → #3: reach 200 → 900 (AI, cites AF012)`. The ranks are
 * positions in the ranking, not item numbers, so callers show the item's `#number` and title beside it.
 */
export function formatRankChange(change: RankChange): string {
  const ranks = `${formatRank(change.rankBefore, change, "before")} → ${formatRank(change.rankAfter, change, "after")}`;
  if (change.inputChanges.length === 0) {
    if (change.kind !== "moved") return ranks;
    return change.passedBy.length > 0 ? `${ranks}: ${formatPassedBy(change.passedBy)}` : `${ranks}: other items moved`;
  }
  return `${ranks}: ${change.inputChanges.map(formatInputChange).join("; ")}`;
}
