import type { Db } from "@/db/client";
import type { FrameworkScore } from "@/lib/prioritization/frameworks";
import { frameworks, inputNames } from "@/lib/prioritization/scales";
import { formatCsv } from "./csv";
import { type BacklogEntry, type BacklogRankingParams, getBacklogRanking } from "./view";

/** Round a score for a spreadsheet: four decimals keep every rank distinction visible. */
function formatScore(score: FrameworkScore): number | null {
  return score.status === "scored" ? Number(score.score.toFixed(4)) : null;
}

/**
 * List the export's column names. Item fields and input values use names the importer
 * recognises, so an export can be imported again. `rankwise_id` is the item's UUID, on which the
 * importer matches rows to items of the same workspace, so items without an `id` are updated
 * rather than created again. In another workspace those ids match nothing and are row errors, so
 * an import there leaves the column unmapped. The importer ignores `<input>_source` and the score
 * columns. Text cells are escaped against formula injection (see escapeCsvCell).
 */
export function exportHeaders(): string[] {
  return [
    "rank",
    "number",
    "id",
    "title",
    "description",
    "theme",
    "status",
    "links",
    ...inputNames.flatMap((name) => [name, `${name}_source`]),
    ...frameworks.map((framework) => `${framework}_score`),
    ...frameworks.map((framework) => `${framework}_rank`),
    "quadrant",
    "missing_inputs",
    "rankwise_id",
  ];
}

function exportRow(entry: BacklogEntry): (string | number | null)[] {
  const item = entry.item;
  return [
    entry.rank,
    item.number,
    item.externalId,
    item.title,
    item.description,
    item.theme,
    item.status,
    item.links.join(" "),
    ...inputNames.flatMap((name) => [item.inputs[name]?.value ?? null, item.inputs[name]?.source ?? null]),
    ...frameworks.map((framework) => formatScore(entry.scores[framework])),
    ...frameworks.map((framework) => entry.ranks[framework]),
    entry.valueEffort.status === "placed" ? entry.valueEffort.quadrant : null,
    entry.missing.join(" "),
    item.id,
  ];
}

/** Export the ranked backlog as CSV: ranked items first, then the items that need input. */
export async function exportBacklogCsv(db: Db, params: BacklogRankingParams): Promise<string> {
  const ranking = await getBacklogRanking(db, params);
  const rows = [...ranking.ranked, ...ranking.needsInput].map(exportRow);
  return formatCsv(exportHeaders(), rows);
}
