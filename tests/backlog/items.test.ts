import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { auditLog, rankingRevision } from "@/db/schema";
import { bulkUpdateItems, createItem, deleteItems, restoreItems, updateItem } from "@/lib/backlog/items";
import { createItemSchema } from "@/lib/backlog/schemas";
import { getBacklogPreferences, updateBacklogPreferences } from "@/lib/backlog/settings";
import { AppError } from "@/lib/errors";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

const fields = (title: string, extra: Record<string, unknown> = {}) => createItemSchema.parse({ title, ...extra });

async function captureAppError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describeEachEngine("backlog items", (engine) => {
  let handle: DatabaseHandle;

  async function rankingRevisionOf(workspaceId: string): Promise<number> {
    const [row] = await handle.db
      .select({ revision: rankingRevision.revision })
      .from(rankingRevision)
      .where(eq(rankingRevision.workspaceId, workspaceId));
    return row?.revision ?? 0;
  }

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  it("numbers items per workspace from 1", async () => {
    const first = await createWorkspaceWithMember(handle.db);
    const second = await createWorkspaceWithMember(handle.db);
    const a = await createItem(handle.db, {
      workspaceId: first.workspaceId,
      actorId: first.userId,
      fields: fields("A"),
    });
    const b = await createItem(handle.db, {
      workspaceId: first.workspaceId,
      actorId: first.userId,
      fields: fields("B"),
    });
    const c = await createItem(handle.db, {
      workspaceId: second.workspaceId,
      actorId: second.userId,
      fields: fields("C"),
    });
    expect(a.number).toBe(1);
    expect(b.number).toBe(2);
    expect(c.number).toBe(1);
  });

  it("gives concurrent creates distinct numbers", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        createItem(handle.db, { workspaceId, actorId: userId, fields: fields(`Item ${index}`) }),
      ),
    );
    expect(new Set(created.map((item) => item.number)).size).toBe(8);
    expect(Math.max(...created.map((item) => item.number))).toBe(8);
  });

  it("writes an audit row on create", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const item = await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("Audited") });
    const rows = await handle.db.select().from(auditLog);
    const own = rows.filter((row) => row.entityId === item.id);
    expect(own.map((row) => row.action)).toEqual(["item.create"]);
    expect(own[0]?.actorId).toBe(userId);
  });

  it("updates with the current version and increments it", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const item = await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("Old") });
    const updated = await updateItem(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      changes: { version: 1, title: "New", status: "planned" },
    });
    expect(updated.title).toBe("New");
    expect(updated.status).toBe("planned");
    expect(updated.version).toBe(2);
  });

  it("rejects an update with a stale version as a conflict", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const item = await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("Item") });
    await updateItem(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      changes: { version: 1, title: "First" },
    });
    const error = await captureAppError(
      updateItem(handle.db, {
        workspaceId,
        actorId: userId,
        itemId: item.id,
        changes: { version: 1, title: "Second" },
      }),
    );
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ field: "version", currentVersion: 2, reason: "item_changed" });
  });

  it("leaves an item unchanged by an empty edit", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const item = await createItem(handle.db, {
      workspaceId,
      actorId: userId,
      fields: fields("Same", { description: "Text", theme: "Export", links: ["https://example.test/a"] }),
    });
    const revisionBefore = await rankingRevisionOf(workspaceId);

    const versionOnly = await updateItem(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      changes: { version: 1 },
    });
    const sameValues = await updateItem(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      changes: {
        version: 1,
        title: "Same",
        description: "Text",
        theme: "Export",
        status: "idea",
        links: ["https://example.test/a"],
        externalId: null,
      },
    });

    expect(versionOnly.version).toBe(1);
    expect(sameValues.version).toBe(1);
    expect(sameValues.updatedAt).toEqual(item.updatedAt);
    const [stored] = await listBacklogItems(handle.db, { workspaceId });
    expect(stored?.version).toBe(1);
    const audits = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, item.id));
    expect(audits.map((row) => row.action)).toEqual(["item.create"]);
    expect(await rankingRevisionOf(workspaceId)).toBe(revisionBefore);

    await updateItem(handle.db, {
      workspaceId,
      actorId: userId,
      itemId: item.id,
      changes: { version: 1, title: "New" },
    });
    const stale = await captureAppError(
      updateItem(handle.db, { workspaceId, actorId: userId, itemId: item.id, changes: { version: 1, title: "New" } }),
    );
    expect(stale.status).toBe(409);
    expect(stale.details).toEqual({ field: "version", currentVersion: 2, reason: "item_changed" });
  });

  it("hides items of another workspace as not found", async () => {
    const owner = await createWorkspaceWithMember(handle.db);
    const other = await createWorkspaceWithMember(handle.db);
    const item = await createItem(handle.db, {
      workspaceId: owner.workspaceId,
      actorId: owner.userId,
      fields: fields("Mine"),
    });
    const error = await captureAppError(
      updateItem(handle.db, {
        workspaceId: other.workspaceId,
        actorId: other.userId,
        itemId: item.id,
        changes: { version: 1, title: "x" },
      }),
    );
    expect(error.status).toBe(404);
  });

  it("rejects a duplicate external id among live items", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("One", { externalId: "X1" }) });
    const error = await captureAppError(
      createItem(handle.db, { workspaceId, actorId: userId, fields: fields("Two", { externalId: "X1" }) }),
    );
    expect(error.status).toBe(409);
    expect(error.details).toEqual({
      field: "externalId",
      reason: "item_external_id_taken",
      params: { externalId: "X1" },
    });
  });

  it("soft-deletes and restores an item", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const item = await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("Gone") });
    const deleted = await deleteItems(handle.db, { workspaceId, actorId: userId, itemIds: [item.id] });
    expect(deleted[0]?.deletedAt).toBeInstanceOf(Date);
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual([]);
    expect((await listBacklogItems(handle.db, { workspaceId, deleted: "only" })).map((row) => row.id)).toEqual([
      item.id,
    ]);

    const restored = await restoreItems(handle.db, { workspaceId, actorId: userId, itemIds: [item.id] });
    expect(restored[0]?.deletedAt).toBeNull();
    expect((await listBacklogItems(handle.db, { workspaceId })).map((row) => row.id)).toEqual([item.id]);
  });

  it("frees a deleted item's external id for a new item", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const first = await createItem(handle.db, {
      workspaceId,
      actorId: userId,
      fields: fields("One", { externalId: "X1" }),
    });
    await deleteItems(handle.db, { workspaceId, actorId: userId, itemIds: [first.id] });
    const second = await createItem(handle.db, {
      workspaceId,
      actorId: userId,
      fields: fields("Two", { externalId: "X1" }),
    });
    expect(second.externalId).toBe("X1");
    const error = await captureAppError(restoreItems(handle.db, { workspaceId, actorId: userId, itemIds: [first.id] }));
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ field: "itemIds", reason: "item_restore_id_taken", params: { externalIds: "X1" } });
    expect(error.message).toContain("The ids X1 are taken");
  });

  it("bulk-updates theme and status", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const a = await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("A") });
    const b = await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("B") });
    const updated = await bulkUpdateItems(handle.db, {
      workspaceId,
      actorId: userId,
      changes: { itemIds: [a.id, b.id], theme: "Export", status: "done" },
    });
    expect(updated.map((item) => item.theme)).toEqual(["Export", "Export"]);
    expect(updated.map((item) => item.status)).toEqual(["done", "done"]);
    expect(updated.map((item) => item.version)).toEqual([2, 2]);
  });

  it("changes nothing in a bulk update with a foreign item", async () => {
    const owner = await createWorkspaceWithMember(handle.db);
    const other = await createWorkspaceWithMember(handle.db);
    const mine = await createItem(handle.db, {
      workspaceId: owner.workspaceId,
      actorId: owner.userId,
      fields: fields("Mine"),
    });
    const theirs = await createItem(handle.db, {
      workspaceId: other.workspaceId,
      actorId: other.userId,
      fields: fields("Theirs"),
    });
    const error = await captureAppError(
      bulkUpdateItems(handle.db, {
        workspaceId: owner.workspaceId,
        actorId: owner.userId,
        changes: { itemIds: [mine.id, theirs.id], status: "done" },
      }),
    );
    expect(error.status).toBe(404);
    const [unchanged] = await listBacklogItems(handle.db, { workspaceId: owner.workspaceId });
    expect(unchanged?.status).toBe("idea");
  });

  it("searches by title, external id and number", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    await createItem(handle.db, {
      workspaceId,
      actorId: userId,
      fields: fields("Export to PDF", { externalId: "A01" }),
    });
    await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("100% stacked bars") });
    const titles = async (search: string) =>
      (await listBacklogItems(handle.db, { workspaceId, search })).map((item) => item.title);
    expect(await titles("pdf")).toEqual(["Export to PDF"]);
    expect(await titles("a01")).toEqual(["Export to PDF"]);
    expect(await titles("#2")).toEqual(["100% stacked bars"]);
    expect(await titles("100%")).toEqual(["100% stacked bars"]);
    expect(await titles("0%")).toEqual(["100% stacked bars"]);
  });
});

describeEachEngine("backlog preferences", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  it("defaults to RICE and the ICE product", async () => {
    const { workspaceId } = await createWorkspaceWithMember(handle.db);
    expect(await getBacklogPreferences(handle.db, { workspaceId })).toEqual({ framework: "rice", iceMode: "product" });
  });

  it("stores a change and keeps item numbering", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("Before") });
    const updated = await updateBacklogPreferences(handle.db, {
      workspaceId,
      actorId: userId,
      changes: { framework: "wsjf" },
    });
    expect(updated).toEqual({ framework: "wsjf", iceMode: "product" });
    const next = await createItem(handle.db, { workspaceId, actorId: userId, fields: fields("After") });
    expect(next.number).toBe(2);
  });
});
