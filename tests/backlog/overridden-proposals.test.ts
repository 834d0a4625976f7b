import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { insertBacklogItems } from "@/db/queries/backlog";
import { insertBatches, insertRun } from "@/db/queries/runs";
import { recordProposals, setPmInput } from "@/lib/backlog/inputs";
import { reviewProposals } from "@/lib/backlog/review";
import { getPrioritizationRunView, type ProposalView } from "@/lib/prioritization/ai-runs";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

/**
 * One run proposes reach, impact and effort of one item. The PM overrides reach, rejects impact
 * and leaves effort pending.
 */
describeEachEngine("overridden proposals in the run view", (engine) => {
  let handle: DatabaseHandle;
  let byInput: Map<string, ProposalView>;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const [item] = await insertBacklogItems(handle.db, {
      workspaceId,
      createdById: userId,
      items: [{ externalId: "A03", title: "PDF export", description: "", theme: null, status: "idea", links: [] }],
    });
    if (!item) throw new Error("insertBacklogItems returned no item");
    const run = await insertRun(handle.db, {
      workspaceId,
      kind: "prioritization",
      createdBy: userId,
      language: "en",
      input: { framework: "rice", iceMode: "product" },
      options: { concurrency: 1, batchDeadlineSeconds: 60, maxRetries: 0 },
    });
    const [batch] = await insertBatches(handle.db, {
      runId: run.id,
      batches: [
        { label: "All items", input: { theme: null, part: 1, parts: 1, items: [{ id: item.id, ref: "A03" }] } },
      ],
    });
    const proposals = await recordProposals(handle.db, {
      workspaceId,
      runId: run.id,
      batchId: batch?.id,
      proposals: [
        { itemId: item.id, input: "reach", value: 500, rationale: "Requests.", evidenceIds: [] },
        { itemId: item.id, input: "impact", value: 2, rationale: "Requests.", evidenceIds: [] },
        { itemId: item.id, input: "effort", value: 3, rationale: "Requests.", evidenceIds: [] },
      ],
    });
    const impact = proposals.find((row) => row.input === "impact");
    await setPmInput(handle.db, {
      workspaceId,
      itemId: item.id,
      actorId: userId,
      input: "reach",
      value: 80,
      reason: "Sales calls",
    });
    await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "reject", proposalIds: [impact?.id ?? ""] },
    });

    const view = await getPrioritizationRunView(handle.db, { workspaceId, runId: run.id });
    byInput = new Map(view.batches.flatMap((entry) => entry.proposals).map((proposal) => [proposal.input, proposal]));
  });

  afterAll(async () => {
    await handle?.close();
  });

  it("marks a proposal settled by a PM value", () => {
    const reach = byInput.get("reach");

    expect(reach?.status).toBe("rejected");
    expect(reach?.overridden).toBe(true);
    expect(reach?.current).toEqual({ value: 80, source: "pm" });
  });

  it("leaves a rejected proposal unmarked", () => {
    const impact = byInput.get("impact");

    expect(impact?.status).toBe("rejected");
    expect(impact?.overridden).toBe(false);
  });

  it("leaves a pending proposal unmarked", () => {
    expect(byInput.get("effort")?.overridden).toBe(false);
  });
});
