import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeRows } from "@/db/client";
import { getLatestKnowledgeJob, listDocumentChunks } from "@/db/queries/knowledge";
import { vectorIndexName } from "@/db/vector";
import { getEmbeddingModelKey } from "@/lib/knowledge/deps";
import { embedNormalized } from "@/lib/knowledge/embedding";
import { searchByEmbedding, searchKnowledge } from "@/lib/knowledge/search";
import { describeEachEngine } from "@/lib/testing/database";
import {
  createKnowledgeHarness,
  createWorkspaceWithUser,
  insertTestDocuments,
  type KnowledgeHarness,
  readDemoFeedback,
} from "./harness";

/** Questions of the kind PMs ask, run on both search paths. */
const fixedQueries = [
  "export the dashboard as a PDF file",
  "one Excel workbook with every card on its own sheet",
  "row-level security based on user attributes",
  "customers script a headless browser as a workaround",
  "finance teams share reports offline",
  "dark mode for the whole interface",
  "embedding dashboards in another application",
  "scheduled subscriptions by email",
];

describeEachEngine("knowledge search", (engine) => {
  let harness: KnowledgeHarness;
  let workspaceA: string;
  let workspaceB: string;

  beforeAll(async () => {
    harness = await createKnowledgeHarness(engine);
    workspaceA = (await createWorkspaceWithUser(harness.handle)).workspaceId;
    workspaceB = (await createWorkspaceWithUser(harness.handle)).workspaceId;
    await insertTestDocuments(harness.handle, readDemoFeedback(workspaceA));
    await insertTestDocuments(harness.handle, [
      {
        workspaceId: workspaceB,
        externalId: "B001",
        kind: "note",
        title: "PDF export note",
        content: "Our customers in workspace B also want to export the dashboard as a PDF file.",
        language: "fr",
      },
    ]);
    await harness.indexer.runPass();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("embeds every chunk with the configured model", async () => {
    const rows = await executeRows<{ total: number; embedded: number }>(
      harness.handle.db,
      sql`select count(*)::int as total, (count(*) filter (where embedding_model = 'simulated-embedding'))::int as embedded from knowledge_chunk`,
    );

    expect(rows[0]?.total).toBeGreaterThanOrEqual(116);
    expect(rows[0]?.embedded).toBe(rows[0]?.total);
  });

  it("records the job's progress", async () => {
    const job = await getLatestKnowledgeJob(harness.handle.db, { workspaceId: workspaceA });

    expect(job?.status).toBe("completed");
    expect(job?.model).toBe("simulated-embedding");
    expect(job?.totalChunks).toBeGreaterThanOrEqual(115);
    expect(job?.embeddedChunks).toBe(job?.totalChunks);
  });

  it("finds relevant chunks best first", async () => {
    const matches = await searchKnowledge(harness.deps, { workspaceId: workspaceA, query: fixedQueries[0] as string });

    expect(matches.length).toBeGreaterThan(0);
    expect(matches.length).toBeLessThanOrEqual(5);
    expect(matches.map((match) => match.documentExternalId)).toContain("AF002");
    for (let index = 1; index < matches.length; index++) {
      expect(matches[index]?.similarity).toBeLessThanOrEqual(matches[index - 1]?.similarity ?? 1);
    }
  });

  it("scopes results to the workspace", async () => {
    const inB = await searchKnowledge(harness.deps, {
      workspaceId: workspaceB,
      query: fixedQueries[0] as string,
      minSimilarity: 0,
    });
    const inA = await searchKnowledge(harness.deps, {
      workspaceId: workspaceA,
      query: "workspace B also want",
      minSimilarity: 0,
      limit: 50,
    });

    expect(inB.map((match) => match.documentExternalId)).toEqual(["B001"]);
    expect(inA.map((match) => match.documentExternalId)).not.toContain("B001");
  });

  it("leaves out chunks below the threshold", async () => {
    const matches = await searchKnowledge(harness.deps, {
      workspaceId: workspaceA,
      query: "zxqv wombat kazoo",
      minSimilarity: 0.3,
    });

    expect(matches).toEqual([]);
  });

  it("filters by document kind and language", async () => {
    const query = "export the dashboard as a PDF file";
    const notes = await searchKnowledge(harness.deps, { workspaceId: workspaceA, query, kinds: ["note"] });
    const english = await searchKnowledge(harness.deps, {
      workspaceId: workspaceB,
      query,
      languages: ["en"],
      minSimilarity: 0,
    });
    const french = await searchKnowledge(harness.deps, {
      workspaceId: workspaceB,
      query,
      languages: ["fr-FR"],
      minSimilarity: 0,
    });

    expect(notes).toEqual([]);
    expect(english).toEqual([]);
    expect(french.map((match) => match.documentExternalId)).toEqual(["B001"]);
  });

  it("filters by long document id lists", async () => {
    const query = "export the dashboard as a PDF file";
    const all = await searchKnowledge(harness.deps, { workspaceId: workspaceA, query, minSimilarity: 0 });
    const [first, ...rest] = all.map((match) => match.documentId);
    // More ids than the 65,535 parameters a statement may have, had each id been one parameter.
    const unknown = Array.from(
      { length: 70_000 },
      (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    );

    const only = await searchKnowledge(harness.deps, {
      workspaceId: workspaceA,
      query,
      minSimilarity: 0,
      documentIds: [...unknown, first as string],
    });
    const without = await searchKnowledge(harness.deps, {
      workspaceId: workspaceA,
      query,
      minSimilarity: 0,
      excludeDocumentIds: [...unknown, first as string],
    });

    expect(rest.length).toBeGreaterThan(0);
    expect(new Set(only.map((match) => match.documentId))).toEqual(new Set([first]));
    expect(without.map((match) => match.documentId)).not.toContain(first);
    expect(without.length).toBeGreaterThan(0);
  });

  it("reports the database's vector path", () => {
    expect(harness.handle.vectorPath).toBe(engine === "pglite" ? "pgvector" : "exact");
  });

  if (engine === "pglite") {
    it("agrees with the exact path on top-5", async () => {
      const model = getEmbeddingModelKey(harness.deps) as string;
      const embeddings = await embedNormalized(harness.deps, fixedQueries);

      for (const [index, query] of fixedQueries.entries()) {
        const params = {
          workspaceId: workspaceA,
          embedding: embeddings[index] as number[],
          model,
          limit: 5,
          minSimilarity: 0,
        };
        const exact = await searchByEmbedding(harness.deps, { ...params, path: "exact" });
        const approximate = await harness.handle.db.transaction(async (tx) => {
          // Without these the planner may sort a sequential scan, which would not test the index.
          await tx.execute(sql`set local enable_seqscan = off`);
          await tx.execute(sql`set local enable_sort = off`);
          return searchByEmbedding({ ...harness.deps, db: tx }, { ...params, path: "pgvector" });
        });

        expect(
          approximate.map((match) => match.chunkId),
          query,
        ).toEqual(exact.map((match) => match.chunkId));
        for (const [rank, match] of approximate.entries()) {
          expect(match.similarity).toBeCloseTo(exact[rank]?.similarity ?? Number.NaN, 5);
        }
      }
    });

    it("searches through the HNSW index", async () => {
      const plan = await harness.handle.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        await tx.execute(sql`set local enable_sort = off`);
        const literal = `[${new Array(256).fill(0.0625).join(",")}]`;
        return executeRows<{ "QUERY PLAN": string }>(
          tx,
          sql`explain select id from knowledge_chunk where embedding_dimensions = 256 and workspace_id = ${workspaceA}
              order by embedding_vector::vector(256) <=> ${literal}::vector(256) limit 5`,
        );
      });

      expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain(vectorIndexName(256));
    });
  }

  describe("after a document is deleted", () => {
    it("drops its chunks from the results", async () => {
      const query = "Puppeteer headless browser workaround for PDF subscriptions";
      const before = await searchKnowledge(harness.deps, { workspaceId: workspaceA, query });
      expect(before.map((match) => match.documentExternalId)).toContain("AF001");
      const documentId = before.find((match) => match.documentExternalId === "AF001")?.documentId as string;

      await harness.handle.db.execute(sql`update document set deleted_at = now() where id = ${documentId}`);
      await harness.indexer.runPass();
      const after = await searchKnowledge(harness.deps, { workspaceId: workspaceA, query });
      const chunks = await listDocumentChunks(harness.handle.db, { workspaceId: workspaceA, documentId });

      expect(after.map((match) => match.documentExternalId)).not.toContain("AF001");
      expect(chunks).toEqual([]);
    });
  });
});

describeEachEngine("knowledge re-embedding", (engine) => {
  let harness: KnowledgeHarness;

  beforeAll(async () => {
    harness = await createKnowledgeHarness(engine);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("re-embeds every chunk when the model changes", async () => {
    const { workspaceId } = await createWorkspaceWithUser(harness.handle);
    await insertTestDocuments(harness.handle, readDemoFeedback(workspaceId, 20));
    await harness.indexer.runPass();

    harness.deps.settings.embeddingDimensions = 128;
    await harness.indexer.runPass();
    const rows = await executeRows<{ model: string; dimensions: number; count: number }>(
      harness.handle.db,
      sql`select embedding_model as model, embedding_dimensions as dimensions, count(*)::int as count
          from knowledge_chunk where workspace_id = ${workspaceId} group by 1, 2`,
    );
    const matches = await searchKnowledge(harness.deps, { workspaceId, query: "export the dashboard as a PDF file" });

    expect(rows).toEqual([{ model: "simulated-embedding@128", dimensions: 128, count: 20 }]);
    expect(matches.length).toBeGreaterThan(0);
  });

  it("resumes a job whose worker died", async () => {
    const { workspaceId } = await createWorkspaceWithUser(harness.handle);
    await harness.handle.db.execute(
      sql`insert into knowledge_job (workspace_id, status, lease_owner, lease_expires_at, attempts)
          values (${workspaceId}, 'running', 'dead-worker', now() - interval '1 minute', 1)`,
    );
    await insertTestDocuments(harness.handle, readDemoFeedback(workspaceId, 5));

    await harness.indexer.runPass();
    const job = await getLatestKnowledgeJob(harness.handle.db, { workspaceId });

    expect(job?.status).toBe("completed");
    expect(job?.leaseOwner).toBe(harness.indexer.owner);
    expect(job?.attempts).toBe(2);
    expect(job?.embeddedChunks).toBe(5);
  });
});
