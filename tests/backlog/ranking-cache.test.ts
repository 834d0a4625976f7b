import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { type DatabaseHandle, executeRows } from "@/db/client";
import { backlogItem, rankingRevision } from "@/db/schema";
import { recordProposals, setPmInput } from "@/lib/backlog/inputs";
import { createItem } from "@/lib/backlog/items";
import { reviewProposals } from "@/lib/backlog/review";
import { createItemSchema } from "@/lib/backlog/schemas";
import { updateBacklogPreferences } from "@/lib/backlog/settings";
import { getBacklogRanking, loadBacklogRows } from "@/lib/backlog/view";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

describeEachEngine("ranking cache", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let userId: string;
  let itemIds: string[];

  async function revision(): Promise<number> {
    const [row] = await handle.db
      .select({ revision: rankingRevision.revision })
      .from(rankingRevision)
      .where(eq(rankingRevision.workspaceId, workspaceId));
    return row?.revision ?? 0;
  }

  async function setReach(itemId: string, value: number) {
    return setPmInput(handle.db, { workspaceId, actorId: userId, itemId, input: "reach", value, reason: "test" });
  }

  async function rankedTitles(): Promise<string[]> {
    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    return ranking.ranked.map((entry) => entry.item.title);
  }

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  beforeEach(async () => {
    ({ workspaceId, userId } = await createWorkspaceWithMember(handle.db));
    itemIds = [];
    for (const title of ["First", "Second"]) {
      const item = await createItem(handle.db, {
        workspaceId,
        actorId: userId,
        fields: createItemSchema.parse({ title }),
      });
      itemIds.push(item.id);
      for (const [input, value] of [
        ["impact", 1],
        ["confidence", 100],
        ["effort", 1],
      ] as const) {
        await setPmInput(handle.db, { workspaceId, actorId: userId, itemId: item.id, input, value, reason: "setup" });
      }
    }
  });

  it("moves the revision once per committed change", async () => {
    const before = await revision();

    await setReach(itemIds[0] as string, 10);
    const afterOne = await revision();
    await handle.db.transaction(async (tx) => {
      await tx
        .update(backlogItem)
        .set({ title: "First, renamed" })
        .where(eq(backlogItem.id, itemIds[0] as string));
      await tx
        .update(backlogItem)
        .set({ title: "Second, renamed" })
        .where(eq(backlogItem.id, itemIds[1] as string));
    });
    const afterTransaction = await revision();

    expect(afterOne).toBe(before + 1);
    expect(afterTransaction).toBe(afterOne + 1);
  });

  it("keeps the revision on a rolled-back change", async () => {
    const before = await revision();

    await expect(
      handle.db.transaction(async (tx) => {
        await tx
          .update(backlogItem)
          .set({ title: "Lost" })
          .where(eq(backlogItem.id, itemIds[0] as string));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");

    expect(await revision()).toBe(before);
    expect(await rankedTitles()).not.toContain("Lost");
  });

  it("ranks again after each kind of change", async () => {
    await setReach(itemIds[0] as string, 10);
    await setReach(itemIds[1] as string, 20);
    expect(await rankedTitles()).toEqual(["Second", "First"]);

    await setReach(itemIds[0] as string, 30);
    expect(await rankedTitles()).toEqual(["First", "Second"]);

    // A write that bypasses the app's code, as another process would make it.
    await executeRows(handle.db, sql`update backlog_item set title = 'First, edited' where id = ${itemIds[0]}`);
    expect(await rankedTitles()).toEqual(["First, edited", "Second"]);

    await updateBacklogPreferences(handle.db, { workspaceId, actorId: userId, changes: { framework: "ice" } });
    const ice = await getBacklogRanking(handle.db, { workspaceId });
    expect(ice.framework).toBe("ice");
    expect(ice.ranked).toHaveLength(0);
  });

  it("counts new proposals without moving the revision", async () => {
    await setReach(itemIds[1] as string, 20);
    await loadBacklogRows(handle.db, { workspaceId });
    const before = await revision();

    const [proposal] = await recordProposals(handle.db, {
      workspaceId,
      runId: randomUUID(),
      proposals: [
        { itemId: itemIds[0] as string, input: "reach", value: 90, rationale: "Asked often", evidenceIds: [] },
      ],
    });
    const rows = await loadBacklogRows(handle.db, { workspaceId });

    expect(await revision()).toBe(before);
    expect(rows.find((row) => row.id === itemIds[0])?.pendingProposals).toBe(1);
    expect(rows.find((row) => row.id === itemIds[0])?.values.reach).toBeUndefined();
    const withoutCounts = await loadBacklogRows(handle.db, { workspaceId, withPending: false });
    expect(withoutCounts.find((row) => row.id === itemIds[0])?.pendingProposals).toBe(0);

    const review = await reviewProposals(handle.db, {
      workspaceId,
      actorId: userId,
      selection: { action: "accept", proposalIds: [proposal?.id ?? ""] },
    });
    const accepted = await loadBacklogRows(handle.db, { workspaceId });

    expect(await revision()).toBe(before + 1);
    expect(accepted.find((row) => row.id === itemIds[0])?.values.reach).toBe(90);
    expect(accepted.find((row) => row.id === itemIds[0])?.pendingProposals).toBe(0);
    expect(review.changes.length).toBeGreaterThan(0);
  });

  it("reports the rank change of an edit after a cached read", async () => {
    await setReach(itemIds[0] as string, 10);
    await setReach(itemIds[1] as string, 20);
    await getBacklogRanking(handle.db, { workspaceId });

    const { changes } = await setReach(itemIds[0] as string, 50);

    expect(changes.map((change) => change.itemId)).toContain(itemIds[0]);
  });
});
