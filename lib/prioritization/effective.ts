import type { InputSource, ItemInput } from "@/db/schema";
import type { InputName } from "./scales";

/** The fields of an `item_input` history row that decide the effective value. */
export type InputRow = Pick<
  ItemInput,
  | "id"
  | "input"
  | "source"
  | "status"
  | "value"
  | "rationale"
  | "evidenceIds"
  | "authorId"
  | "runId"
  | "createdAt"
  | "reviewedAt"
>;

/** The value a framework uses for one input, with where it came from. */
export interface EffectiveInput {
  value: number;
  source: InputSource;
  rowId: string;
  rationale: string | null;
  evidenceIds: string[];
  authorId: string | null;
  runId: string | null;
  /** When the value took effect: acceptance time for AI proposals, creation time otherwise. */
  effectiveAt: Date;
}

export type EffectiveInputs = Partial<Record<InputName, EffectiveInput>>;

/** Plain input values, the only thing the frameworks read. */
export type InputValues = Partial<Record<InputName, number>>;

/** Sources in order of precedence: a PM value beats an accepted AI proposal, which beats an import. */
const precedence: InputSource[] = ["pm", "ai", "import"];

/** Check whether the row can be the latest of its source; for AI only accepted proposals count. */
function isCandidate(row: InputRow): boolean {
  if (row.source === "ai") return row.status === "accepted";
  return row.status === "active";
}

function effectiveTime(row: InputRow): number {
  return (row.source === "ai" ? (row.reviewedAt ?? row.createdAt) : row.createdAt).getTime();
}

function isLater(row: InputRow, than: InputRow): boolean {
  const difference = effectiveTime(row) - effectiveTime(than);
  if (difference !== 0) return difference > 0;
  const created = row.createdAt.getTime() - than.createdAt.getTime();
  if (created !== 0) return created > 0;
  return row.id > than.id;
}

/**
 * Resolve each input's effective value from its history rows (any order, any items' rows must be
 * filtered out first). Per input, the latest row of each source is found; the first source in
 * precedence order whose latest row has a value wins. A PM row with a null value clears the PM
 * value, so the input falls back to the AI or import value.
 */
export function resolveEffectiveInputs(rows: readonly InputRow[]): EffectiveInputs {
  const latest = new Map<string, InputRow>();
  for (const row of rows) {
    if (!isCandidate(row)) continue;
    const key = `${row.input}:${row.source}`;
    const current = latest.get(key);
    if (!current || isLater(row, current)) latest.set(key, row);
  }

  const inputs = new Set(rows.map((row) => row.input));
  const result: EffectiveInputs = {};
  for (const input of inputs) {
    for (const source of precedence) {
      const row = latest.get(`${input}:${source}`);
      if (!row || row.value === null) continue;
      result[input] = {
        value: row.value,
        source: row.source,
        rowId: row.id,
        rationale: row.rationale,
        evidenceIds: row.evidenceIds,
        authorId: row.authorId,
        runId: row.runId,
        effectiveAt: new Date(effectiveTime(row)),
      };
      break;
    }
  }
  return result;
}

export function toInputValues(effective: EffectiveInputs): InputValues {
  const values: InputValues = {};
  for (const [name, input] of Object.entries(effective) as [InputName, EffectiveInput][]) {
    values[name] = input.value;
  }
  return values;
}

/**
 * Apply AI proposals as if they were accepted now, for previews and run comparisons. A proposal
 * with a null value (insufficient evidence) changes nothing, and a PM value is never replaced.
 */
export function overlayProposals(effective: EffectiveInputs, proposals: readonly InputRow[]): EffectiveInputs {
  const result: EffectiveInputs = { ...effective };
  for (const proposal of proposals) {
    if (proposal.source !== "ai" || proposal.value === null) continue;
    if (result[proposal.input]?.source === "pm") continue;
    result[proposal.input] = {
      value: proposal.value,
      source: "ai",
      rowId: proposal.id,
      rationale: proposal.rationale,
      evidenceIds: proposal.evidenceIds,
      authorId: proposal.authorId,
      runId: proposal.runId,
      effectiveAt: proposal.createdAt,
    };
  }
  return result;
}
