import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { getBacklogItem } from "@/db/queries/backlog";
import { listInputHistory } from "@/db/queries/backlog-inputs";
import { findUnknownDocumentIds, insertDocuments, listDocuments, listEvidenceIdsByItem } from "@/db/queries/documents";
import { insertRun } from "@/db/queries/runs";
import { auditLog, type BacklogItem } from "@/db/schema";
import { recordProposals, setPmInput } from "@/lib/backlog/inputs";
import { createItem, deleteItems, restoreItems } from "@/lib/backlog/items";
import { compareRankingsOverTime, previewRunChanges } from "@/lib/backlog/rank-changes";
import { reviewProposals } from "@/lib/backlog/review";
import { createItemSchema } from "@/lib/backlog/schemas";
import { getBacklogRanking } from "@/lib/backlog/view";
import { AppError } from "@/lib/errors";
import { formatRankChange, type RankChange } from "@/lib/prioritization/changes";
import { createTestDatabase, describeEachEngine, markDatabaseTime } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

async function captureAppError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describeEachEngine("backlog inputs and review", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let userId: string;
  let items: BacklogItem[];

  /** Set full RICE inputs as PM values, reach last so tests can vary it. */
  async function setRice(item: BacklogItem, reach: number) {
    for (const [input, value] of [
      ["impact", 1],
      ["confidence", 100],
      ["effort", 1],
      ["reach", reach],
    ] as const) {
      await setPmInput(handle.db, { workspaceId, actorId: userId, itemId: item.id, input, value, reason: "setup" });
    }
  }

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  beforeEach(async () => {
    ({ workspaceId, userId } = await createWorkspaceWithMember(handle.db));
    items = [];
    for (const title of ["First", "Second", "Third"]) {
      items.push(
        await createItem(handle.db, { workspaceId, actorId: userId, fields: createItemSchema.parse({ title }) }),
      );
    }
    await insertDocuments(handle.db, [
      { workspaceId, externalId: "AF012", kind: "feedback", title: "Ask", content: "Many users ask for it." },
    ]);
  });

  it("records a PM value with its reason and an audit row", async () => {
    const [item] = items as [BacklogItem];
    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      input: "reach",
      value: 500,
      reason: "Sales data",
    });
    const history = await listInputHistory(handle.db, { workspaceId, itemId: item.id });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      source: "pm",
      status: "active",
      value: 500,
      rationale: "Sales data",
      authorId: userId,
    });

    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, "input.set"));
    const own = audit.filter((row) => row.entityId === item.id);
    expect(own).toHaveLength(1);
    expect(own[0]?.after).toEqual({ input: "reach", value: 500, source: "pm", reason: "Sales data" });
  });

  it("moves the version without one", async () => {
    const [, item] = items as [BacklogItem, BacklogItem];
    const read = (await getBacklogItem(handle.db, { workspaceId, itemId: item.id }))?.version ?? -1;
    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      input: "reach",
      value: 100,
      reason: "a",
    });

    expect((await getBacklogItem(handle.db, { workspaceId, itemId: item.id }))?.version).toBe(read + 1);
    const error = await captureAppError(
      setPmInput(handle.db, {
        workspaceId,
        actorId: userId,
        itemId: item.id,
        input: "reach",
        value: 200,
        reason: "b",
        version: read,
      }),
    );
    expect(error.status).toBe(409);
    expect(error.details).toMatchObject({ field: "version", currentVersion: read + 1 });
  });

  it("rejects an off-scale value naming the value field", async () => {
    const [item] = items as [BacklogItem];
    const error = await captureAppError(
      setPmInput(handle.db, { workspaceId, actorId: userId, itemId: item.id, input: "impact", value: 7, reason: "x" }),
    );
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ field: "value" });
    expect(error.message).toContain("0.25, 0.5, 1, 2, 3");
  });

  it("requires a reason", async () => {
    const [item] = items as [BacklogItem];
    const error = await captureAppError(
      setPmInput(handle.db, { workspaceId, actorId: userId, itemId: item.id, input: "reach", value: 5, reason: "  " }),
    );
    expect(error.details).toEqual({ field: "reason" });
  });

  it("lists the rank change a PM override causes", async () => {
    const [first, second, third] = items as [BacklogItem, BacklogItem, BacklogItem];
    await setRice(first, 300);
    await setRice(second, 200);
    await setRice(third, 100);
    const { changes } = await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: third.id,
      input: "reach",
      value: 900,
      reason: "New usage data",
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]?.itemId).toBe(third.id);
    expect(changes[0] && formatRankChange(changes[0])).toBe("#3 → #1: reach 100 → 900 (PM, reason: New usage data)");
  });

  it("stores proposals and rejects unknown evidence without storing any", async () => {
    const [item] = items as [BacklogItem];
    const runId = randomUUID();
    const error = await captureAppError(
      recordProposals(handle.db, {
        workspaceId,
        runId,
        proposals: [
          { itemId: item.id, input: "reach", value: 900, rationale: "Asked often", evidenceIds: ["AF012"] },
          { itemId: item.id, input: "effort", value: 1, rationale: "Small", evidenceIds: ["AF999"] },
        ],
      }),
    );
    expect(error.code).toBe("invalid_proposals");
    expect(error.message).toContain("AF999");
    expect(await listInputHistory(handle.db, { workspaceId, itemId: item.id })).toEqual([]);
  });

  it("lists documents for 70,000 ids", async () => {
    // One parameter per id would pass the wire protocol's limit of 65,535 parameters per statement.
    const [item] = items as [BacklogItem];
    await insertDocuments(handle.db, [
      { workspaceId, itemId: item.id, externalId: "AF013", kind: "feedback", title: "Linked", content: "Linked." },
    ]);
    const itemIds = [item.id, ...Array.from({ length: 70_000 }, () => randomUUID())];
    const externalIds = ["AF012", ...Array.from({ length: 70_000 }, (_, index) => `X${index}`)];

    const byItem = await listDocuments(handle.db, { workspaceId, itemIds });
    const byExternal = await listDocuments(handle.db, { workspaceId, externalIds });
    const evidence = await listEvidenceIdsByItem(handle.db, { workspaceId, itemIds });
    const unknown = await findUnknownDocumentIds(handle.db, { workspaceId, ids: externalIds });

    expect(byItem.map((document) => document.externalId)).toEqual(["AF013"]);
    expect(byExternal.map((document) => document.externalId)).toEqual(["AF012"]);
    expect(evidence.get(item.id)).toEqual(["AF013"]);
    expect(unknown).toHaveLength(70_000);
  });

  it("rejects a proposal for an item of another workspace", async () => {
    const other = await createWorkspaceWithMember(handle.db);
    const error = await captureAppError(
      recordProposals(handle.db, {
        workspaceId: other.workspaceId,
        runId: randomUUID(),
        proposals: [
          { itemId: (items[0] as BacklogItem).id, input: "reach", value: 9, rationale: "x", evidenceIds: [] },
        ],
      }),
    );
    expect(error.code).toBe("invalid_proposals");
  });

  it("reviews a run or batch of another workspace as not found", async () => {
    const [item] = items as [BacklogItem];
    const runId = randomUUID();
    const batchId = randomUUID();
    await recordProposals(handle.db, {
      workspaceId,
      runId,
      batchId,
      proposals: [{ itemId: item.id, input: "reach", value: 9, rationale: "x", evidenceIds: [] }],
    });
    const other = await createWorkspaceWithMember(handle.db);
    const review = (selection: { runId: string } | { batchId: string }) =>
      captureAppError(
        reviewProposals(handle.db, {
          workspaceId: other.workspaceId,
          actorId: other.userId,
          selection: { action: "accept", ...selection },
        }),
      );

    const foreignRun = await review({ runId });
    const foreignBatch = await review({ batchId });
    const unknownRun = await review({ runId: randomUUID() });
    const unknownBatch = await review({ batchId: randomUUID() });

    expect(foreignRun.status).toBe(404);
    expect(foreignRun.message).toBe("Run not found.");
    expect(foreignBatch.status).toBe(404);
    expect(foreignBatch.message).toBe("Batch not found.");
    expect(unknownRun.message).toBe(foreignRun.message);
    expect(unknownBatch.message).toBe(foreignBatch.message);
    expect((await listInputHistory(handle.db, { workspaceId, itemId: item.id }))[0]?.status).toBe("proposed");
  });

  it("reviews another kind of run as not found", async () => {
    const feedbackRun = await insertRun(handle.db, {
      workspaceId,
      kind: "feedback_summary",
      createdBy: userId,
      language: "en",
      input: {},
      options: { concurrency: 1, batchDeadlineSeconds: 60, maxRetries: 0 },
    });
    const error = await captureAppError(
      reviewProposals(handle.db, {
        workspaceId,
        actorId: userId,
        selection: { action: "accept", runId: feedbackRun.id },
      }),
    );

    expect(error.status).toBe(404);
    expect(error.message).toBe("Run not found.");
  });

  it("counts proposals of deleted items as left", async () => {
    const [first, second] = items as [BacklogItem, BacklogItem];
    const runId = randomUUID();
    await recordProposals(handle.db, {
      workspaceId,
      runId,
      proposals: [first, second].map((item) => ({
        itemId: item.id,
        input: "reach" as const,
        value: 9,
        rationale: "x",
        evidenceIds: [],
      })),
    });
    await deleteItems(handle.db, { workspaceId, actorId: userId, itemIds: [second.id] });

    const result = await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "accept", runId },
    });

    expect(result.reviewed.map((row) => row.itemId)).toEqual([first.id]);
    expect(result.skippedReasons).toEqual({ noValue: 0, pmValue: 0, itemDeleted: 1 });
    expect(result.skipped).toBe(1);
  });

  it("reviews a run with nothing pending as empty", async () => {
    const [item] = items as [BacklogItem];
    const runId = randomUUID();
    await recordProposals(handle.db, {
      workspaceId,
      runId,
      proposals: [{ itemId: item.id, input: "reach", value: 9, rationale: "x", evidenceIds: [] }],
    });
    const selection = { action: "reject" as const, runId };
    await reviewProposals(handle.db, { workspaceId, actorId: userId, selection });
    const plannedRun = await insertRun(handle.db, {
      workspaceId,
      kind: "prioritization",
      createdBy: userId,
      language: "en",
      input: {},
      options: { concurrency: 1, batchDeadlineSeconds: 60, maxRetries: 0 },
    });

    const again = await reviewProposals(handle.db, { workspaceId, actorId: userId, selection });
    const withoutProposals = await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "accept", runId: plannedRun.id },
    });

    expect(again.reviewed).toEqual([]);
    expect(withoutProposals.reviewed).toEqual([]);
  });

  it("accepts a batch, changing effective values and ranks", async () => {
    const [first, second, third] = items as [BacklogItem, BacklogItem, BacklogItem];
    await setRice(first, 300);
    await setRice(second, 200);
    for (const input of ["impact", "confidence", "effort"] as const) {
      const value = { impact: 1, confidence: 100, effort: 1 }[input];
      await setPmInput(handle.db, { workspaceId, actorId: userId, itemId: third.id, input, value, reason: "setup" });
    }
    const runId = randomUUID();
    const batchId = randomUUID();
    await recordProposals(handle.db, {
      workspaceId,
      runId,
      batchId,
      proposals: [
        { itemId: third.id, input: "reach", value: 900, rationale: "Asked often", evidenceIds: ["AF012"] },
        { itemId: first.id, input: "reach", value: null, rationale: "No data", evidenceIds: [] },
      ],
    });

    const result = await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "accept", batchId },
    });
    expect(result.reviewed).toHaveLength(1);
    expect(result.skipped).toBe(1);
    expect(result.skippedReasons).toEqual({ noValue: 1, pmValue: 0, itemDeleted: 0 });
    expect(result.changes.map(formatRankChange)).toEqual(["needs input → #1: reach unset → 900 (AI, cites AF012)"]);

    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    expect(ranking.ranked[0]?.item.id).toBe(third.id);
    expect(ranking.ranked[0]?.item.inputs.reach).toMatchObject({ source: "ai", value: 900, evidenceIds: ["AF012"] });
  });

  /** Give the first item a PM reach of 10, then record an AI proposal of 900 for it in a new batch. */
  async function proposeOverPmValue() {
    const [item] = items as [BacklogItem];
    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      input: "reach",
      value: 10,
      reason: "Known",
    });
    const batchId = randomUUID();
    const [proposal] = await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      batchId,
      proposals: [{ itemId: item.id, input: "reach", value: 900, rationale: "Guess", evidenceIds: [] }],
    });
    if (!proposal) throw new Error("no proposal was recorded");
    return { item, proposal, batchId };
  }

  async function readReach(itemId: string) {
    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    return ranking.needsInput.find((candidate) => candidate.item.id === itemId)?.item.inputs.reach;
  }

  it("settles pending proposals on override", async () => {
    const [item] = items as [BacklogItem];
    const [proposal] = await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      proposals: [{ itemId: item.id, input: "reach", value: 300, rationale: "Guess", evidenceIds: [] }],
    });
    const set = (value: number | null) =>
      setPmInput(handle.db, { workspaceId, actorId: userId, itemId: item.id, input: "reach", value, reason: "Known" });

    await set(null);
    const afterClear = await listInputHistory(handle.db, { workspaceId, itemId: item.id, input: "reach" });
    await set(800);
    const afterSet = await listInputHistory(handle.db, { workspaceId, itemId: item.id, input: "reach" });

    expect(afterClear.find((row) => row.id === proposal?.id)?.status).toBe("proposed");
    expect(afterSet.find((row) => row.id === proposal?.id)).toMatchObject({ status: "rejected", reviewedById: userId });
  });

  it("rejects accepting two values for one input", async () => {
    const [item] = items as [BacklogItem];
    const proposed = [];
    for (const value of [300, 500]) {
      const [row] = await recordProposals(handle.db, {
        workspaceId,
        runId: randomUUID(),
        proposals: [{ itemId: item.id, input: "reach", value, rationale: "Guess", evidenceIds: [] }],
      });
      proposed.push(row?.id as string);
    }
    const error = await captureAppError(
      reviewProposals(handle.db, {
        workspaceId,
        actorId: userId,
        selection: { action: "accept", proposalIds: proposed },
      }),
    );
    const history = await listInputHistory(handle.db, { workspaceId, itemId: item.id, input: "reach" });

    expect(error.status).toBe(400);
    expect(error.details).toMatchObject({ field: "proposalIds", reason: "proposals_same_input" });
    expect(history.map((row) => row.status)).toEqual(["proposed", "proposed"]);
  });

  it("rejects accepting over a PM value", async () => {
    const { item, proposal } = await proposeOverPmValue();
    const error = await captureAppError(
      reviewProposals(handle.db, {
        workspaceId,
        actorId: userId,
        selection: { action: "accept", proposalIds: [proposal.id] },
      }),
    );

    expect(error.status).toBe(409);
    expect(error.details).toEqual({
      field: "proposalIds",
      reason: "proposal_pm_value_set",
      proposalIds: [proposal.id],
      params: { inputs: `#${item.number} (reach)` },
    });
    expect(await readReach(item.id)).toMatchObject({ source: "pm", value: 10 });
    const [stored] = await listInputHistory(handle.db, { workspaceId, itemId: item.id, input: "reach" });
    expect(stored).toMatchObject({ id: proposal.id, status: "proposed" });
  });

  it("leaves a proposal over a PM value pending when its batch is accepted", async () => {
    const { item, proposal, batchId } = await proposeOverPmValue();
    const result = await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "accept", batchId },
    });

    expect(result.reviewed).toEqual([]);
    expect(result.skippedReasons).toEqual({ noValue: 0, pmValue: 1, itemDeleted: 0 });
    expect(result.skipped).toBe(1);
    expect(await readReach(item.id)).toMatchObject({ source: "pm", value: 10 });
    const rejected = await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "reject", batchId },
    });
    expect(rejected.reviewed.map((row) => row.id)).toEqual([proposal.id]);
  });

  it("rejects accepting a proposal without a value", async () => {
    const [item] = items as [BacklogItem];
    const [proposal] = await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      proposals: [{ itemId: item.id, input: "reach", value: null, rationale: "No data", evidenceIds: [] }],
    });
    const error = await captureAppError(
      reviewProposals(handle.db, {
        workspaceId,
        actorId: userId,
        selection: { action: "accept", proposalIds: [proposal?.id ?? ""] },
      }),
    );
    expect(error.status).toBe(400);
    expect(error.details).toEqual({ field: "proposalIds" });
  });

  it("rejects reviewing a proposal twice", async () => {
    const [item] = items as [BacklogItem];
    const [proposal] = await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      proposals: [{ itemId: item.id, input: "reach", value: 5, rationale: "x", evidenceIds: [] }],
    });
    const selection = { action: "reject" as const, proposalIds: [proposal?.id ?? ""] };
    await reviewProposals(handle.db, { workspaceId, actorId: userId, selection });
    const error = await captureAppError(reviewProposals(handle.db, { workspaceId, actorId: userId, selection }));
    expect(error.status).toBe(409);
  });

  it("hides another workspace's proposals as not found", async () => {
    const [item] = items as [BacklogItem];
    const [proposal] = await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      proposals: [{ itemId: item.id, input: "reach", value: 5, rationale: "x", evidenceIds: [] }],
    });
    const other = await createWorkspaceWithMember(handle.db);
    const error = await captureAppError(
      reviewProposals(handle.db, {
        workspaceId: other.workspaceId,
        actorId: other.userId,
        selection: { action: "accept", proposalIds: [proposal?.id ?? ""] },
      }),
    );
    expect(error.status).toBe(404);
  });

  it("falls back to the accepted proposal when the PM clears their value", async () => {
    const [item] = items as [BacklogItem];
    const [proposal] = await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      proposals: [{ itemId: item.id, input: "reach", value: 900, rationale: "x", evidenceIds: [] }],
    });
    await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "accept", proposalIds: [proposal?.id ?? ""] },
    });
    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      input: "reach",
      value: 10,
      reason: "Known",
    });
    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      input: "reach",
      value: null,
      reason: "Undo",
    });
    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    const entry = ranking.needsInput.find((candidate) => candidate.item.id === item.id);
    expect(entry?.item.inputs.reach).toMatchObject({ source: "ai", value: 900 });
    expect(await listInputHistory(handle.db, { workspaceId, itemId: item.id })).toHaveLength(3);
  });

  it("counts pending proposals per item", async () => {
    const [item] = items as [BacklogItem];
    await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      proposals: [
        { itemId: item.id, input: "reach", value: 5, rationale: "x", evidenceIds: [] },
        { itemId: item.id, input: "effort", value: null, rationale: "x", evidenceIds: [] },
      ],
    });
    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    expect(ranking.needsInput.find((entry) => entry.item.id === item.id)?.item.pendingProposals).toBe(1);
  });

  it("previews a run's changes without accepting them", async () => {
    const [first, second, third] = items as [BacklogItem, BacklogItem, BacklogItem];
    await setRice(first, 300);
    await setRice(second, 200);
    await setRice(third, 100);
    const runId = randomUUID();
    await recordProposals(handle.db, {
      workspaceId,
      runId,
      proposals: [{ itemId: third.id, input: "impact", value: 3, rationale: "Big", evidenceIds: ["AF012"] }],
    });
    // A PM value is never replaced by a proposal, so the preview shows nothing moving.
    expect((await previewRunChanges(handle.db, { workspaceId, runId })).changes).toEqual([]);

    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: third.id,
      input: "impact",
      value: null,
      reason: "Let AI decide",
    });
    const preview = await previewRunChanges(handle.db, { workspaceId, runId });
    expect(preview.changes.map(formatRankChange)).toEqual(["needs input → #1: impact unset → 3 (AI, cites AF012)"]);
    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    expect(ranking.needsInput.map((entry) => entry.item.id)).toEqual([third.id]);
  });

  it("compares the ranking between two times", async () => {
    const [first, second] = items as [BacklogItem, BacklogItem];
    await setRice(first, 300);
    await setRice(second, 200);
    const from = await markDatabaseTime(handle);
    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: second.id,
      input: "reach",
      value: 600,
      reason: "Updated",
    });
    const { changes } = await compareRankingsOverTime(handle.db, { workspaceId, from });
    expect(changes.map(formatRankChange)).toEqual(["#2 → #1: reach 200 → 600 (PM, reason: Updated)"]);
  });

  it("past ranking skips then-deleted items", async () => {
    const [first, second] = items as [BacklogItem, BacklogItem];
    await setRice(first, 300);
    await setRice(second, 200);
    const beforeDeletion = await markDatabaseTime(handle);
    await deleteItems(handle.db, { workspaceId, actorId: userId, itemIds: [first.id] });
    const whileDeleted = await markDatabaseTime(handle);
    await restoreItems(handle.db, { workspaceId, actorId: userId, itemIds: [first.id] });

    const rankedAt = async (at?: Date) =>
      (await getBacklogRanking(handle.db, { workspaceId, at })).ranked.map((entry) => entry.item.id);
    expect(await rankedAt(beforeDeletion)).toEqual([first.id, second.id]);
    expect(await rankedAt(whileDeleted)).toEqual([second.id]);
    expect(await rankedAt()).toEqual([first.id, second.id]);
    const { changes } = await compareRankingsOverTime(handle.db, { workspaceId, from: whileDeleted });
    expect(changes.map((change) => [change.itemId, change.rankBefore, change.rankAfter])).toEqual([
      [first.id, null, 1],
    ]);
    expect(changes[0]?.restored).toBe(true);
    expect(formatRankChange(changes[0] as RankChange)).toMatch(/^restored → #1/);
  });

  it("marks a created item as new, not restored", async () => {
    const from = await markDatabaseTime(handle);
    const created = await createItem(handle.db, {
      workspaceId,
      actorId: userId,
      fields: createItemSchema.parse({ title: "Fresh" }),
    });
    await setRice(created, 500);

    const { changes } = await compareRankingsOverTime(handle.db, { workspaceId, from });
    const change = changes.find((entry) => entry.itemId === created.id);

    expect(change?.kind).toBe("added");
    expect(change?.restored).toBeUndefined();
  });

  it("filters by source and missing input", async () => {
    const [first, second] = items as [BacklogItem, BacklogItem];
    await setRice(first, 300);
    await setPmInput(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: second.id,
      input: "reach",
      value: 9,
      reason: "x",
    });
    const missingEffort = await getBacklogRanking(handle.db, { workspaceId, filters: { missing: ["effort"] } });
    expect(missingEffort.needsInput.map((entry) => entry.item.id)).toEqual([second.id, (items[2] as BacklogItem).id]);
    expect(missingEffort.ranked).toEqual([]);
    const fromPm = await getBacklogRanking(handle.db, { workspaceId, filters: { source: ["pm"] } });
    expect([...fromPm.ranked, ...fromPm.needsInput].map((entry) => entry.item.id)).toEqual([first.id, second.id]);
    const fromAi = await getBacklogRanking(handle.db, { workspaceId, filters: { source: ["ai"] } });
    expect(fromAi.ranked.length + fromAi.needsInput.length).toBe(0);
  });
});
