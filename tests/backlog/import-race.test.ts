import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { DatabaseHandle, Db } from "@/db/client";
import { listBacklogItems, updateBacklogItem } from "@/db/queries/backlog";
import { listLatestInputRows } from "@/db/queries/backlog-inputs";
import { importBacklogCsv, MAX_IMPORT_ATTEMPTS } from "@/lib/backlog/import";
import { AppError } from "@/lib/errors";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

/** Write a CSV of `count` new items with ids CC-0, CC-1 and so on, each with a reach. */
function newItemsCsv(count: number): string {
  const rows = Array.from({ length: count }, (_, index) => `Item ${index},CC-${index},${index + 1}`);
  return ["title,id,reach", ...rows].join("\r\n");
}

/** Build a unique violation as the `postgres` driver raises it, wrapped as Drizzle wraps it. */
function externalIdViolation(): Error {
  const driverError = Object.assign(
    new Error('duplicate key value violates unique constraint "backlog_item_external_id_key"'),
    {
      code: "23505",
      constraint_name: "backlog_item_external_id_key",
      table_name: "backlog_item",
    },
  );
  return new Error("Failed query: insert into backlog_item", { cause: driverError });
}

/** Poll until a session of this database waits for a lock, for at most about ten seconds. */
async function waitForLockWait(db: Db): Promise<void> {
  for (let poll = 0; poll < 1000; poll++) {
    const rows = await db.execute<{ waiting: number }>(
      sql`select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((rows as unknown as { waiting: number }[])[0]?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no session started waiting for a lock");
}

async function captureAppError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describeEachEngine("concurrent backlog imports", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let userId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  beforeEach(async () => {
    ({ workspaceId, userId } = await createWorkspaceWithMember(handle.db));
  });

  it("imports the same new ids six times at once", async () => {
    const csv = newItemsCsv(200);

    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv })),
    );

    const rejected = results.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
    expect(rejected).toEqual([]);
    const fulfilled = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    expect(fulfilled.map((result) => result.created).sort((a, b) => b - a)).toEqual([200, 0, 0, 0, 0, 0]);
    expect(fulfilled.map((result) => result.unchanged).sort((a, b) => a - b)).toEqual([0, 200, 200, 200, 200, 200]);
    const items = await listBacklogItems(handle.db, { workspaceId });
    expect(items).toHaveLength(200);
    expect(new Set(items.map((item) => item.externalId)).size).toBe(200);
    expect(items.map((item) => item.number)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    const inputs = await listLatestInputRows(handle.db, { workspaceId, itemIds: items.map((item) => item.id) });
    expect(inputs.filter((row) => row.source === "import")).toHaveLength(200);
  });

  it("reports concurrently imported ids with onExisting error", async () => {
    const csv = newItemsCsv(50);

    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv, onExisting: "error" }),
      ),
    );

    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) {
      if (result.status === "fulfilled") continue;
      expect(result.reason).toBeInstanceOf(AppError);
      expect((result.reason as AppError).code).toBe("invalid_rows");
    }
    expect(await listBacklogItems(handle.db, { workspaceId })).toHaveLength(50);
  });

  it.skipIf(engine === "pglite")("updates an item that another writer changes during the import", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: "title\r\nOld title\r\n" });
    const [item] = await listBacklogItems(handle.db, { workspaceId });
    const csv = `rankwise_id,title\r\n${item?.id},New title\r\n`;
    let importing: Promise<unknown> = Promise.resolve();

    // The other writer holds the item's row lock until the import's update waits for it, then
    // commits a new version, so the import's update finds the version it read gone.
    await handle.db.transaction(async (tx) => {
      const changed = await updateBacklogItem(tx, {
        workspaceId,
        itemId: item?.id ?? "",
        expectedVersion: 1,
        patch: { theme: "Changed" },
      });
      expect(changed?.version).toBe(2);
      importing = importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv });
      await waitForLockWait(handle.db);
    });
    const result = await importing;

    expect(result).toMatchObject({ updated: 1, errorCount: 0 });
    const [after] = await listBacklogItems(handle.db, { workspaceId });
    expect(after).toMatchObject({ title: "New title", theme: "Changed", version: 3 });
  });

  it("answers 409 when every attempt loses the race", async () => {
    let attempts = 0;
    const racing = Object.create(handle.db) as Db;
    racing.transaction = (async () => {
      attempts++;
      throw externalIdViolation();
    }) as unknown as Db["transaction"];

    const error = await captureAppError(
      importBacklogCsv(racing, { workspaceId, actorId: userId, csv: newItemsCsv(3) }),
    );

    expect(error.status).toBe(409);
    expect(error.code).toBe("duplicate_external_id");
    expect(error.details).toMatchObject({ field: "file", reason: "import_external_id_conflict" });
    expect(attempts).toBe(MAX_IMPORT_ATTEMPTS);
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual([]);
  });

  it("rethrows other database errors without retrying", async () => {
    let attempts = 0;
    const failing = Object.create(handle.db) as Db;
    const violation = Object.assign(new Error("duplicate key value violates unique constraint"), {
      code: "23505",
      constraint_name: "backlog_item_number_key",
    });
    failing.transaction = (async () => {
      attempts++;
      throw violation;
    }) as unknown as Db["transaction"];

    await expect(importBacklogCsv(failing, { workspaceId, actorId: userId, csv: newItemsCsv(3) })).rejects.toBe(
      violation,
    );
    expect(attempts).toBe(1);
  });
});
