import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listBacklogItems } from "@/db/queries/backlog";
import { listDocuments } from "@/db/queries/documents";
import { seedDemoContent } from "@/db/seed/demo-content";
import { formatCsv, parseCsvText, unescapeCsvCell } from "@/lib/backlog/csv";
import { type ColumnMapping, guessColumnMapping } from "@/lib/backlog/csv-mapping";
import { exportBacklogCsv, exportHeaders } from "@/lib/backlog/export";
import { importBacklogCsv } from "@/lib/backlog/import";
import { setPmInput } from "@/lib/backlog/inputs";
import { createItem, deleteItems, restoreItems } from "@/lib/backlog/items";
import { getBacklogRanking } from "@/lib/backlog/view";
import { AppError } from "@/lib/errors";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createWorkspaceWithMember } from "./fixtures";

const seedCsv = fs.readFileSync(path.join(process.cwd(), "db/seed/backlog-en.csv"));

async function captureAppError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const riceCsv = [
  "id;titre;thème;statut;portée;impact;confiance;effort",
  "R1;Export PDF;Export;planifié;1 000;2;80 %;0,5",
  "R2;Alertes Slack;Alerts;;200;1;100 %;2",
  "R3;Sans valeurs;;;;;;",
].join("\r\n");

/** Items without ids, one with a title and a description that a spreadsheet would run as formulas. */
const mixedCsv = [
  "id,title,description,theme,reach,impact,confidence,effort",
  ",=SUM(A1:A3),-5 points for @team,Export,1000,2,80,0.5",
  ",Slack alerts,,Alerts,200,1,100,2",
  "K3,Dark mode,,,,,,",
].join("\r\n");

/** Return the guessed mapping of a CSV without its Rankwise id column, as another workspace needs. */
function mappingWithoutItemId(csv: string): ColumnMapping {
  const { itemId: _, ...mapping } = guessColumnMapping(parseCsvText(csv).headers);
  return mapping;
}

/**
 * Set one cell of an exported CSV, found by its column name and the item's title. Cells are
 * unescaped before the CSV is written again, because formatCsv escapes text, not escaped cells.
 */
function editExport(csv: string, title: string, column: string, value: string): string {
  const table = parseCsvText(csv);
  const rows = table.rows.map((cells) => cells.map(unescapeCsvCell));
  const titleIndex = table.headers.indexOf("title");
  const row = rows.find((cells) => cells[titleIndex] === title);
  if (!row) throw new Error(`no exported row titled "${title}"`);
  row[table.headers.indexOf(column)] = value;
  return formatCsv(table.headers, rows);
}

describeEachEngine("backlog import and export", (engine) => {
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

  it("imports the seed file with its ids", async () => {
    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: new Uint8Array(seedCsv) });
    expect(result.created).toBe(60);
    expect(result.errorCount).toBe(0);
    const items = await listBacklogItems(handle.db, { workspaceId });
    expect(items).toHaveLength(60);
    expect(items[0]).toMatchObject({ number: 1, externalId: "A01", status: "idea", theme: "Export" });
    expect(items[0]?.links).toEqual(["https://github.com/metabase/metabase/issues/28547"]);
    expect(items[59]?.externalId).toBe("A60");
  });

  it("leaves items unchanged when the same file is imported again", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: new Uint8Array(seedCsv) });
    const again = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: new Uint8Array(seedCsv) });
    expect(again.created).toBe(0);
    expect(again.unchanged).toBe(60);
    expect(await listBacklogItems(handle.db, { workspaceId })).toHaveLength(60);
  });

  it("records imported inputs with decimal commas and percentages", async () => {
    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv });
    expect(result.inputsRecorded).toBe(8);
    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    expect(ranking.ranked.map((entry) => entry.item.externalId)).toEqual(["R1", "R2"]);
    expect(ranking.ranked[0]?.scores.rice).toEqual({ status: "scored", score: 3200 });
    expect(ranking.ranked[0]?.item.inputs.effort).toMatchObject({ value: 0.5, source: "import" });
    expect(ranking.ranked[0]?.item.status).toBe("planned");
    expect(ranking.needsInput.map((entry) => entry.item.externalId)).toEqual(["R3"]);
  });

  it("writes nothing when a row is invalid", async () => {
    const csv = `${riceCsv}\r\nR4;;;;;;;\r\nR5;Bad;;;lots;7;;`;
    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv }));
    expect(error.code).toBe("invalid_rows");
    expect(error.status).toBe(400);
    expect(error.message).toContain("2 row(s)");
    expect(error.details?.errors).toContainEqual(expect.objectContaining({ row: 5, column: "titre", field: "title" }));
    expect(error.details?.errors).toContainEqual(expect.objectContaining({ row: 6, column: "impact" }));
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual([]);
  });

  it("imports the valid rows when invalid ones are skipped", async () => {
    const csv = `${riceCsv}\r\nR4;;;;;;;`;
    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv, skipInvalid: true });
    expect(result.created).toBe(3);
    expect(result.skippedInvalid).toBe(1);
    expect(result.errors[0]).toMatchObject({ row: 5, field: "title" });
  });

  it("reports an existing id as a row error when asked", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv });
    const error = await captureAppError(
      importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv, onExisting: "error" }),
    );
    expect(error.details?.errors).toContainEqual(
      expect.objectContaining({ row: 2, column: "id", message: 'id "R1" already belongs to item #1' }),
    );
  });

  it("skips existing ids when asked", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv });
    const result = await importBacklogCsv(handle.db, {
      workspaceId,
      actorId: userId,
      csv: riceCsv,
      onExisting: "skip",
    });
    expect(result.skippedExisting).toBe(3);
    expect(result.inputsRecorded).toBe(0);
  });

  it("updates changed fields and records only changed input values", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv });
    const changed = riceCsv
      .replace("Export PDF;Export;planifié;1 000", "Export PDF v2;Export;en cours;1 000")
      .replace(";200;", ";300;");
    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: changed });
    expect(result.updated).toBe(2);
    expect(result.unchanged).toBe(1);
    expect(result.inputsRecorded).toBe(1);
    const items = await listBacklogItems(handle.db, { workspaceId });
    expect(items[0]).toMatchObject({ title: "Export PDF v2", status: "in_progress", version: 2 });
  });

  it("writes nothing in a dry run", async () => {
    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv, dryRun: true });
    expect(result.dryRun).toBe(true);
    expect(result.created).toBe(3);
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual([]);
  });

  it("reports in a dry run what the import then writes", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv });
    const changed = riceCsv.replace("Export PDF;", "Export PDF v2;").replace(";200;", ";300;");
    const dryRun = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: changed, dryRun: true });
    const versions = (await listBacklogItems(handle.db, { workspaceId })).map((item) => item.version);
    const imported = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: changed });

    expect(versions).toEqual([1, 1, 1]);
    expect(dryRun).toEqual({ ...imported, dryRun: true });
    expect(imported).toMatchObject({ updated: 2, unchanged: 1, inputsRecorded: 1 });
  });

  it("dry-runs a file with more ids than a statement takes parameters", async () => {
    // One parameter per id would pass the wire protocol's limit of 65,535 parameters per statement.
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: "id,title,reach\nB5,Existing,10\n" });
    const lines = ["id,title,reach"];
    for (let index = 1; index <= 70_000; index++) lines.push(`B${index},Item ${index},${index}`);
    const csv = `${lines.join("\n")}\n`;

    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv, dryRun: true });

    expect(result).toMatchObject({ dryRun: true, created: 69_999, updated: 1, inputsRecorded: 70_000 });
    expect(await listBacklogItems(handle.db, { workspaceId })).toHaveLength(1);
  });

  it("lets the event loop run between the chunks of a large import", async () => {
    // PGlite resolves each statement in a microtask: without breaks, no timer or request would run
    // until the whole import had finished.
    const lines = ["title,reach"];
    for (let index = 1; index <= 2_000; index++) lines.push(`Item ${index},${index}`);
    let turns = 0;
    let importing = true;
    const countTurn = () => {
      if (!importing) return;
      turns++;
      setImmediate(countTurn);
    };
    setImmediate(countTurn);

    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: lines.join("\n") });
    importing = false;

    expect(result.created).toBe(2_000);
    expect(turns).toBeGreaterThan(0);
  });

  it("rejects a file without a title column", async () => {
    const error = await captureAppError(
      importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: "theme\nExport\n" }),
    );
    expect(error.details).toEqual({
      field: "mapping.title",
      reason: "csv_title_unmapped",
      params: { columns: "theme" },
    });
  });

  it("exports every input with its source and the scores", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv });
    const table = parseCsvText(await exportBacklogCsv(handle.db, { workspaceId }));
    expect(table.headers).toEqual(exportHeaders());
    const column = (name: string) => table.headers.indexOf(name);
    const first = table.rows[0] ?? [];
    expect(first[column("rank")]).toBe("1");
    expect(first[column("id")]).toBe("R1");
    expect(first[column("reach")]).toBe("1000");
    expect(first[column("reach_source")]).toBe("import");
    expect(first[column("confidence")]).toBe("80");
    expect(first[column("rice_score")]).toBe("3200");
    expect(first[column("quadrant")]).toBe("quick_win");
    const [exportedItem] = await listBacklogItems(handle.db, { workspaceId, externalIds: ["R1"] });
    expect(first[column("rankwise_id")]).toBe(exportedItem?.id);
    const last = table.rows[2] ?? [];
    expect(last[column("rank")]).toBe("");
    expect(last[column("missing_inputs")]).toBe("reach impact confidence effort");
  });

  it("imports its own export into another workspace with the same scores", async () => {
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: riceCsv });
    const exported = await exportBacklogCsv(handle.db, { workspaceId });
    const target = await createWorkspaceWithMember(handle.db);
    await importBacklogCsv(handle.db, {
      workspaceId: target.workspaceId,
      actorId: target.userId,
      csv: exported,
      mapping: mappingWithoutItemId(exported),
    });
    const before = await getBacklogRanking(handle.db, { workspaceId });
    const after = await getBacklogRanking(handle.db, { workspaceId: target.workspaceId });
    expect(after.ranked.map((entry) => entry.scores.rice)).toEqual(before.ranked.map((entry) => entry.scores.rice));
  });
});

describeEachEngine("backlog export re-import", (engine) => {
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
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: mixedCsv });
  });

  it("re-imports its own export unchanged", async () => {
    const slack = (await listBacklogItems(handle.db, { workspaceId }))[1];
    await setPmInput(handle.db, {
      workspaceId,
      itemId: slack?.id ?? "",
      actorId: userId,
      input: "reach",
      value: 500,
      reason: "Counted in the support tool",
    });
    const before = await listBacklogItems(handle.db, { workspaceId });
    const exported = await exportBacklogCsv(handle.db, { workspaceId });

    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: exported });

    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 3, inputsRecorded: 0, errorCount: 0 });
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual(before);
  });

  it("round-trips formula-like text", async () => {
    const exported = await exportBacklogCsv(handle.db, { workspaceId });
    const table = parseCsvText(exported);
    const formulaRow = table.rows.find((cells) => cells[table.headers.indexOf("title")] === "'=SUM(A1:A3)");

    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: exported });
    const items = await listBacklogItems(handle.db, { workspaceId });

    expect(formulaRow?.[table.headers.indexOf("description")]).toBe("'-5 points for @team");
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ title: "=SUM(A1:A3)", description: "-5 points for @team", version: 1 });
  });

  it("updates the edited rows of its own export", async () => {
    let edited = await exportBacklogCsv(handle.db, { workspaceId });
    edited = editExport(edited, "Slack alerts", "title", "Slack and Teams alerts");
    edited = editExport(edited, "Slack and Teams alerts", "reach", "300");
    edited = editExport(edited, "Dark mode", "theme", "Display");

    const dryRun = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: edited, dryRun: true });
    const imported = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: edited });
    const items = await listBacklogItems(handle.db, { workspaceId });

    expect(dryRun).toMatchObject({ dryRun: true, created: 0, updated: 2, unchanged: 1, inputsRecorded: 1 });
    expect(imported).toEqual({ ...dryRun, dryRun: false });
    expect(items.map((item) => item.title)).toEqual(["=SUM(A1:A3)", "Slack and Teams alerts", "Dark mode"]);
    expect(items[1]).toMatchObject({ version: 2 });
    expect(items[2]).toMatchObject({ theme: "Display", externalId: "K3" });
  });

  it("updates an id edited in the export", async () => {
    const edited = editExport(await exportBacklogCsv(handle.db, { workspaceId }), "Slack alerts", "id", "K2");

    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: edited });
    const items = await listBacklogItems(handle.db, { workspaceId });

    expect(result).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    expect(items.map((item) => item.externalId)).toEqual([null, "K2", "K3"]);
  });

  it("rejects an edited id already taken", async () => {
    const exported = await exportBacklogCsv(handle.db, { workspaceId });
    await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: "id,title\r\nK9,Offline mode\r\n" });
    const edited = editExport(exported, "Slack alerts", "id", "K9");

    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: edited }));

    expect(error.code).toBe("invalid_rows");
    expect(error.details?.errors).toEqual([
      expect.objectContaining({ column: "id", field: "externalId", message: 'id "K9" already belongs to item #4' }),
    ]);
  });

  it("rejects two rows that match one item", async () => {
    const items = await listBacklogItems(handle.db, { workspaceId });
    const csv = `rankwise_id,id,title\r\n${items[2]?.id},,Dark mode\r\n,K3,Dark mode again\r\n`;

    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv }));

    expect(error.details?.errors).toEqual([
      expect.objectContaining({ row: 3, column: "id", message: "matches item #3, which row 2 already updates" }),
    ]);
  });

  it("rejects another workspace's Rankwise ids", async () => {
    const before = await listBacklogItems(handle.db, { workspaceId });
    const edited = editExport(await exportBacklogCsv(handle.db, { workspaceId }), "Slack alerts", "title", "Renamed");
    const target = await createWorkspaceWithMember(handle.db);
    const options = { workspaceId: target.workspaceId, actorId: target.userId, csv: edited };

    const error = await captureAppError(importBacklogCsv(handle.db, options));

    expect(error.code).toBe("invalid_rows");
    expect(error.details?.errorCount).toBe(3);
    expect(error.details?.errors).toEqual(
      before.map((item) =>
        expect.objectContaining({
          column: "rankwise_id",
          field: "itemId",
          value: item.id,
          code: "item_id_unknown",
          params: { value: item.id },
        }),
      ),
    );
    expect(await listBacklogItems(handle.db, { workspaceId: target.workspaceId })).toEqual([]);
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual(before);
  });

  it("imports another workspace's export without Rankwise ids", async () => {
    const before = await listBacklogItems(handle.db, { workspaceId });
    const exported = await exportBacklogCsv(handle.db, { workspaceId });
    const target = await createWorkspaceWithMember(handle.db);

    const result = await importBacklogCsv(handle.db, {
      workspaceId: target.workspaceId,
      actorId: target.userId,
      csv: exported,
      mapping: mappingWithoutItemId(exported),
    });

    expect(result).toMatchObject({ created: 3, updated: 0 });
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual(before);
  });

  it("reports an unknown Rankwise id in every mode", async () => {
    const unknownId = "3f1c2b8e-5d4a-4e6f-9a7b-1c2d3e4f5a6b";
    const csv = `rankwise_id,title\r\n${unknownId},Offline mode\r\n`;

    for (const onExisting of ["update", "skip", "error"] as const) {
      const error = await captureAppError(
        importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv, onExisting }),
      );

      expect(error.code, onExisting).toBe("invalid_rows");
      expect(error.details?.errors, onExisting).toEqual([
        expect.objectContaining({
          row: 2,
          column: "rankwise_id",
          code: "item_id_unknown",
          message: `Rankwise id "${unknownId}" matches no item of this workspace. Clear the cell to import the row as a new item, or leave the column unmapped to import another workspace's export`,
        }),
      ]);
    }
    expect(await listBacklogItems(handle.db, { workspaceId })).toHaveLength(3);
  });

  it("reports an unknown Rankwise id in a dry run", async () => {
    const csv = "rankwise_id,title\r\n3f1c2b8e-5d4a-4e6f-9a7b-1c2d3e4f5a6b,Offline mode\r\n,Kiosk mode\r\n";

    const result = await importBacklogCsv(handle.db, {
      workspaceId,
      actorId: userId,
      csv,
      dryRun: true,
      skipInvalid: true,
    });

    expect(result).toMatchObject({ created: 1, skippedInvalid: 1, errorCount: 1 });
    expect(result.errors).toEqual([expect.objectContaining({ row: 2, code: "item_id_unknown" })]);
  });

  it("reports an unknown Rankwise id with a known id", async () => {
    const csv = "rankwise_id,id,title\r\n3f1c2b8e-5d4a-4e6f-9a7b-1c2d3e4f5a6b,K3,Dark mode\r\n";

    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv }));

    expect(error.details?.errors).toEqual([expect.objectContaining({ field: "itemId", code: "item_id_unknown" })]);
  });

  it("reports the Rankwise id of a deleted item", async () => {
    const exported = await exportBacklogCsv(handle.db, { workspaceId });
    const [, slack] = await listBacklogItems(handle.db, { workspaceId });
    await deleteItems(handle.db, { workspaceId, actorId: userId, itemIds: [slack?.id ?? ""] });

    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: exported }));

    expect(error.code).toBe("invalid_rows");
    expect(error.details?.errors).toEqual([
      expect.objectContaining({
        column: "rankwise_id",
        field: "itemId",
        value: slack?.id,
        code: "item_id_deleted",
        params: { value: slack?.id, itemNumber: 2 },
        message: `Rankwise id "${slack?.id}" belongs to item #2, which is deleted. Restore the item first to update it, or clear the cell to import the row as a new item`,
      }),
    ]);
    expect(await listBacklogItems(handle.db, { workspaceId })).toHaveLength(2);

    await restoreItems(handle.db, { workspaceId, actorId: userId, itemIds: [slack?.id ?? ""] });
    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: exported });
    expect(result).toMatchObject({ created: 0, unchanged: 3, errorCount: 0 });
  });

  it("round-trips text that starts with an apostrophe", async () => {
    const texts = ["'=literal apostrophe", "'+1 vote", "'-minus", "'@team", "''=two"];
    for (const title of texts) {
      await createItem(handle.db, {
        workspaceId,
        actorId: userId,
        fields: { title, description: title, theme: title, externalId: null, links: [], status: "idea" },
      });
    }
    const before = await listBacklogItems(handle.db, { workspaceId });
    const exported = await exportBacklogCsv(handle.db, { workspaceId });
    const table = parseCsvText(exported);
    const titles = table.rows.map((cells) => cells[table.headers.indexOf("title")]);

    const result = await importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv: exported });

    expect(titles).toContain("''=literal apostrophe");
    expect(titles).toContain("'=SUM(A1:A3)");
    expect(result).toMatchObject({ created: 0, updated: 0, unchanged: 8, errorCount: 0 });
    expect(await listBacklogItems(handle.db, { workspaceId })).toEqual(before);
    const stored = before.slice(3).map((item) => [item.title, item.description, item.theme]);
    expect(stored).toEqual(texts.map((text) => [text, text, text]));
  });

  it("reports a malformed Rankwise id", async () => {
    const csv = "rankwise_id,title\r\n,Offline mode\r\nrow-7,Kiosk mode\r\n";

    const error = await captureAppError(importBacklogCsv(handle.db, { workspaceId, actorId: userId, csv }));

    expect(error.code).toBe("invalid_rows");
    expect(error.details?.errors).toEqual([
      expect.objectContaining({ row: 3, column: "rankwise_id", field: "itemId", value: "row-7" }),
    ]);
    expect(await listBacklogItems(handle.db, { workspaceId })).toHaveLength(3);
  });
});

describeEachEngine("seedDemoContent", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
  });

  afterAll(async () => {
    await handle.close();
  });

  it("seeds items, a third with RICE inputs, and linked feedback", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const result = await seedDemoContent(handle.db, { workspaceId, userId });
    expect(result).toEqual({ itemsCreated: 60, inputsRecorded: 80, documentsCreated: 115 });

    const ranking = await getBacklogRanking(handle.db, { workspaceId });
    expect(ranking.ranked).toHaveLength(20);
    expect(ranking.needsInput).toHaveLength(40);
    const quadrants = new Set(
      ranking.ranked.map((entry) => entry.valueEffort.status === "placed" && entry.valueEffort.quadrant),
    );
    expect(quadrants.size).toBe(4);

    const documents = await listDocuments(handle.db, { workspaceId, kinds: ["feedback"] });
    expect(documents).toHaveLength(115);
    expect(documents.every((row) => row.itemId !== null)).toBe(true);
    expect(documents[0]).toMatchObject({ externalId: "AF001", language: "en" });
  });

  it("changes nothing when run twice", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    await seedDemoContent(handle.db, { workspaceId, userId });
    const again = await seedDemoContent(handle.db, { workspaceId, userId });
    expect(again).toEqual({ itemsCreated: 0, inputsRecorded: 0, documentsCreated: 0 });
  });

  it("seeds only the first items and their feedback with a limit", async () => {
    const { workspaceId, userId } = await createWorkspaceWithMember(handle.db);
    const result = await seedDemoContent(handle.db, { workspaceId, userId, limit: 3 });
    expect(result.itemsCreated).toBe(3);
    expect(result.documentsCreated).toBe(7);
  });
});
