import type { Db } from "@/db/client";
import { getBacklogSettings, listBacklogItems } from "@/db/queries/backlog";
import { listProposals } from "@/db/queries/backlog-inputs";
import type { Framework, IceMode, ItemInput } from "@/db/schema";
import {
  createRankingSnapshot,
  listRankChanges,
  type RankChange,
  type RankingSnapshot,
} from "@/lib/prioritization/changes";
import { overlayProposals, toInputValues } from "@/lib/prioritization/effective";
import { rankItems } from "@/lib/prioritization/ranking";
import { type BacklogRow, loadBacklogRows } from "./view";

interface SnapshotParams {
  workspaceId: string;
  framework?: Framework;
  iceMode?: IceMode;
}

async function resolvePreferences(db: Db, params: SnapshotParams) {
  const settings = await getBacklogSettings(db, params);
  return { framework: params.framework ?? settings.framework, iceMode: params.iceMode ?? settings.iceMode };
}

function snapshotRows(rows: BacklogRow[], options: { framework: Framework; iceMode: IceMode }, takenAt: Date) {
  return createRankingSnapshot(rankItems(rows, options), takenAt);
}

/** Snapshot the ranking now, or as it was at `at`; store it as JSON to compare with later. */
export async function takeRankingSnapshot(db: Db, params: SnapshotParams & { at?: Date }): Promise<RankingSnapshot> {
  const options = await resolvePreferences(db, params);
  const rows = await loadBacklogRows(db, { workspaceId: params.workspaceId, at: params.at });
  return snapshotRows(rows, options, params.at ?? new Date());
}

/**
 * Run `action` between two snapshots of the workspace's ranking and list what it moved. Call it
 * inside a transaction so other writers cannot slip changes between the snapshots.
 */
export async function trackRankChanges<Result>(
  db: Db,
  params: SnapshotParams,
  action: () => Promise<Result>,
): Promise<{ result: Result; changes: RankChange[] }> {
  const before = await takeRankingSnapshot(db, params);
  const result = await action();
  const after = await takeRankingSnapshot(db, params);
  return { result, changes: listRankChanges(before, after) };
}

/**
 * List the rank changes between two times (`to` defaults to now), from the input history. Times
 * have the database clock's resolution (a millisecond on PGlite), so a change made in the same
 * tick as `from` counts as before it.
 */
export async function compareRankingsOverTime(
  db: Db,
  params: SnapshotParams & { from: Date; to?: Date; includeIndirect?: boolean },
) {
  const before = await takeRankingSnapshot(db, { ...params, at: params.from });
  const after = await takeRankingSnapshot(db, { ...params, at: params.to });
  const changes = listRankChanges(before, after, { includeIndirect: params.includeIndirect });
  return { before, after, changes: await markRestoredItems(db, params, changes) };
}

/** Mark the added items that existed at `from` and came back from a deletion since. */
async function markRestoredItems(
  db: Db,
  params: { workspaceId: string; from: Date },
  changes: RankChange[],
): Promise<RankChange[]> {
  const addedIds = changes.filter((change) => change.kind === "added").map((change) => change.itemId);
  if (addedIds.length === 0) return changes;
  const items = await listBacklogItems(db, { workspaceId: params.workspaceId, itemIds: addedIds, deleted: "include" });
  const existed = new Set(items.filter((item) => item.createdAt <= params.from).map((item) => item.id));
  return changes.map((change) => (existed.has(change.itemId) ? { ...change, restored: true } : change));
}

function applyRunProposals(rows: BacklogRow[], proposals: ItemInput[]): BacklogRow[] {
  const byItem = new Map<string, ItemInput[]>();
  for (const proposal of proposals) byItem.set(proposal.itemId, [...(byItem.get(proposal.itemId) ?? []), proposal]);
  return rows.map((row) => {
    const own = byItem.get(row.id);
    if (!own) return row;
    const inputs = overlayProposals(row.inputs, own);
    return { ...row, inputs, values: toInputValues(inputs) };
  });
}

/**
 * List what a run's accepted proposals moved: the ranking at the run's start against that ranking
 * with only this run's accepted values applied, so another run's or a PM's changes never show up
 * as this run's. Items that moved only because others passed them are listed too. No snapshot is
 * stored when a run starts: the start ranking is rebuilt from the input and deletion history.
 */
export async function listAcceptedRunChanges(db: Db, params: SnapshotParams & { runId: string; startedAt: Date }) {
  const options = await resolvePreferences(db, params);
  const [rows, accepted] = await Promise.all([
    loadBacklogRows(db, { workspaceId: params.workspaceId, at: params.startedAt }),
    listProposals(db, { workspaceId: params.workspaceId, runId: params.runId, status: "accepted", withValue: true }),
  ]);

  const before = snapshotRows(rows, options, params.startedAt);
  const after = snapshotRows(applyRunProposals(rows, accepted), options, new Date());
  return { before, after, changes: listRankChanges(before, after, { includeIndirect: true }) };
}

/**
 * Preview what a run's proposals would move if they were all accepted, over the current ranking
 * or over the ranking with another run's proposals applied (to compare two runs). PM values are
 * never replaced in either ranking.
 */
export async function previewRunChanges(
  db: Db,
  params: SnapshotParams & { runId: string; baseRunId?: string; includeIndirect?: boolean },
) {
  const options = await resolvePreferences(db, params);
  const rows = await loadBacklogRows(db, { workspaceId: params.workspaceId });
  const [proposals, baseProposals] = await Promise.all([
    listProposals(db, { workspaceId: params.workspaceId, runId: params.runId, withValue: true }),
    params.baseRunId
      ? listProposals(db, { workspaceId: params.workspaceId, runId: params.baseRunId, withValue: true })
      : Promise.resolve([]),
  ]);

  const now = new Date();
  const baseRows = applyRunProposals(rows, baseProposals);
  const before = snapshotRows(baseRows, options, now);
  const after = snapshotRows(applyRunProposals(baseRows, proposals), options, now);
  return { before, after, changes: listRankChanges(before, after, { includeIndirect: params.includeIndirect }) };
}
