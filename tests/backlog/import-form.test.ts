import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { importBacklogCsv } from "@/lib/backlog/import";
import { deleteItems } from "@/lib/backlog/items";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

// The actor stub is a member with access to any workspace; the preview reads the test database.
vi.mock("@/lib/auth/actor", () => ({
  requireActor: async () => ({ userId: "user-1", role: "member" }),
  requireCapability: () => {},
  requireWorkspace: async (_actor: unknown, id: string) => ({ id }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { previewImportAction } = await import("@/app/(app)/w/[workspaceId]/backlog/actions");

function formWith(file?: File): FormData {
  const form = new FormData();
  if (file) form.set("file", file);
  return form;
}

describeEachEngine("import preview action", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let userId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
  });

  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle.close();
  });

  beforeEach(async () => {
    ({ workspaceId, userId } = await createWorkspaceWithMember(handle.db));
  });

  it("rejects an empty file as empty", async () => {
    const result = await previewImportAction(workspaceId, formWith(new File([], "backlog.csv")));

    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error.code).toBe("csv_empty");
    expect(result.ok ? undefined : result.error.details?.reason).toBeUndefined();
  });

  it("asks for a file when none is sent", async () => {
    const result = await previewImportAction(workspaceId, formWith());

    expect(result.ok).toBe(false);
    expect(result.ok ? undefined : result.error.details?.reason).toBe("csv_file_missing");
  });

  it("previews a small file", async () => {
    const result = await previewImportAction(workspaceId, formWith(new File(["title\nExport PDF\n"], "backlog.csv")));

    expect(result.ok).toBe(true);
    expect(result.ok ? result.data : undefined).toMatchObject({ validRowCount: 1, invalidRowCount: 0 });
  });

  it("reports unknown and deleted Rankwise ids", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: "id,title\nK1,Export PDF\nK2,Dark mode\n" });
    const [live, deleted] = await listBacklogItems(handle.db, { workspaceId });
    await deleteItems(handle.db, { workspaceId, actorId: userId, itemIds: [deleted?.id ?? ""] });
    const unknownId = "3f1c2b8e-5d4a-4e6f-9a7b-1c2d3e4f5a6b";
    const csv = [
      "rankwise_id,title",
      `${live?.id},Export PDF`,
      `${deleted?.id},Dark mode`,
      `${unknownId},Offline mode`,
      ",Kiosk mode",
      `,${"x".repeat(301)}`,
    ].join("\n");

    const result = await previewImportAction(workspaceId, formWith(new File([csv], "backlog.csv")));

    expect(result.ok).toBe(true);
    const preview = result.ok ? result.data : undefined;
    expect(preview).toMatchObject({ rowCount: 5, validRowCount: 2, invalidRowCount: 3, errorCount: 3 });
    expect(preview?.errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: "rankwise_id",
        code: "item_id_deleted",
        params: { value: deleted?.id, itemNumber: 2 },
      }),
      expect.objectContaining({ row: 4, column: "rankwise_id", code: "item_id_unknown", params: { value: unknownId } }),
      expect.objectContaining({ row: 6, column: "title", code: "text_too_long" }),
    ]);
  });
});
