import { afterAll, beforeAll, expect, it } from "vitest";
import { loadBacklogPageView } from "@/components/backlog/backlog-data";
import { parseBacklogQuery } from "@/components/backlog/query";
import type { DatabaseHandle } from "@/db/client";
import { insertBacklogItems } from "@/db/queries/backlog";
import { insertItemInputs } from "@/db/queries/backlog-inputs";
import { loadBacklogRows } from "@/lib/backlog/view";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

/** Proposals waiting for review: all four RICE inputs of one item, and ICE ease of another. */
describeEachEngine("pending proposals per framework", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let riceItemId: string;
  let iceItemId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    const member = await createWorkspaceWithMember(handle.db);
    workspaceId = member.workspaceId;
    const [riceItem, iceItem] = await insertBacklogItems(handle.db, {
      workspaceId,
      createdById: member.userId,
      items: ["Export to PDF", "Dark mode"].map((title) => ({
        externalId: null,
        title,
        description: "",
        theme: null,
        status: "idea" as const,
        links: [],
      })),
    });
    if (!riceItem || !iceItem) throw new Error("insertBacklogItems returned fewer items than given");
    riceItemId = riceItem.id;
    iceItemId = iceItem.id;

    const proposal = { workspaceId, source: "ai" as const, status: "proposed" as const, rationale: "From feedback." };
    await insertItemInputs(handle.db, [
      { ...proposal, itemId: riceItemId, input: "reach", value: 500 },
      { ...proposal, itemId: riceItemId, input: "impact", value: 2 },
      { ...proposal, itemId: riceItemId, input: "confidence", value: 80 },
      { ...proposal, itemId: riceItemId, input: "effort", value: 3 },
      // Insufficient evidence: nothing to accept, so never counted.
      { ...proposal, itemId: iceItemId, input: "ice_impact", value: null },
      { ...proposal, itemId: iceItemId, input: "ice_ease", value: 7 },
    ]);
  });

  afterAll(async () => {
    await handle?.close();
  });

  async function pendingByItem(framework: string): Promise<Map<string, number>> {
    const view = await loadBacklogPageView(handle.db, { workspaceId, query: parseBacklogQuery({ framework }) });
    const rows = [...view.ranked.rows, ...view.needsInput.rows];
    return new Map(rows.map((row) => [row.id, row.pendingProposals]));
  }

  it("counts RICE proposals in the RICE view", async () => {
    const pending = await pendingByItem("rice");

    expect(pending.get(riceItemId)).toBe(4);
    expect(pending.get(iceItemId)).toBe(0);
  });

  it("leaves RICE proposals out of the ICE view", async () => {
    const pending = await pendingByItem("ice");

    expect(pending.get(riceItemId)).toBe(0);
    expect(pending.get(iceItemId)).toBe(1);
  });

  it("leaves both out of the WSJF view", async () => {
    const pending = await pendingByItem("wsjf");

    expect(pending.get(riceItemId)).toBe(0);
    expect(pending.get(iceItemId)).toBe(0);
  });

  it("counts every input on the rows", async () => {
    const rows = await loadBacklogRows(handle.db, { workspaceId });
    const riceRow = rows.find((row) => row.id === riceItemId);

    expect(riceRow?.pendingProposals).toBe(4);
    expect(riceRow?.pendingProposalsByInput).toEqual({ reach: 1, impact: 1, confidence: 1, effort: 1 });
  });
});
