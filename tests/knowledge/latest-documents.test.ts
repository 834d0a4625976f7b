import { sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { insertBacklogItems } from "@/db/queries/backlog";
import { getLatestDocumentTimes, insertDocuments } from "@/db/queries/documents";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithUser } from "./harness";

describeEachEngine("latest linked document times", (engine) => {
  let handle: DatabaseHandle | undefined;

  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  it("gives each item its newest live document", async () => {
    handle = await createTestDatabase(engine);
    const { db } = handle;
    const { workspaceId, userId } = await createWorkspaceWithUser(handle);
    const fields = { externalId: null, description: "", theme: null, status: "idea" as const, links: [] };
    const [linked, single, bare] = await insertBacklogItems(db, {
      workspaceId,
      createdById: userId,
      items: ["Linked twice", "Linked once", "Not linked"].map((title) => ({ ...fields, title })),
    });
    const documents = await insertDocuments(
      db,
      [
        { externalId: "OLD", itemId: linked?.id },
        { externalId: "NEW", itemId: linked?.id },
        { externalId: "DELETED", itemId: linked?.id },
        { externalId: "ONE", itemId: single?.id },
      ].map((row) => ({ ...row, workspaceId, kind: "feedback" as const, title: row.externalId, content: "text" })),
    );
    const idOf = (externalId: string) => documents.find((row) => row.externalId === externalId)?.id as string;
    const setCreated = (externalId: string, at: string) =>
      db.execute(sql`update document set created_at = ${at}::timestamptz where id = ${idOf(externalId)}`);
    await setCreated("OLD", "2026-01-01T00:00:00Z");
    await setCreated("NEW", "2026-03-01T00:00:00Z");
    await setCreated("DELETED", "2026-06-01T00:00:00Z");
    await setCreated("ONE", "2026-02-01T00:00:00Z");
    await db.execute(sql`update document set deleted_at = now() where id = ${idOf("DELETED")}`);

    const latest = await getLatestDocumentTimes(db, {
      workspaceId,
      itemIds: [linked?.id, single?.id, bare?.id] as string[],
    });

    expect(latest.get(linked?.id as string)?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(latest.get(single?.id as string)?.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(latest.has(bare?.id as string)).toBe(false);
  });

  it("ignores other workspaces", async () => {
    handle = await createTestDatabase(engine);
    const { db } = handle;
    const own = await createWorkspaceWithUser(handle);
    const other = await createWorkspaceWithUser(handle);
    const [item] = await insertBacklogItems(db, {
      workspaceId: own.workspaceId,
      createdById: own.userId,
      items: [{ externalId: null, title: "Item", description: "", theme: null, status: "idea", links: [] }],
    });
    await insertDocuments(db, [
      {
        workspaceId: own.workspaceId,
        externalId: "D1",
        kind: "feedback",
        title: "D1",
        content: "text",
        itemId: item?.id,
      },
    ]);

    const latest = await getLatestDocumentTimes(db, { workspaceId: other.workspaceId, itemIds: [item?.id as string] });

    expect(latest.size).toBe(0);
  });
});
