import { afterAll, beforeAll, expect, it } from "vitest";
import { getLatestKnowledgeJob } from "@/db/queries/knowledge";
import type { Gateway } from "@/lib/ai";
import { deleteKnowledgeDocument } from "@/lib/knowledge/documents";
import { toJobStatus } from "@/lib/knowledge/status";
import { describeEachEngine } from "@/lib/testing/database";
import { createKnowledgeHarness, createWorkspaceWithUser, insertTestDocuments, type KnowledgeHarness } from "./harness";

describeEachEngine("embedding job with a document deleted", (engine) => {
  let harness: KnowledgeHarness;
  let workspaceId: string;

  beforeAll(async () => {
    harness = await createKnowledgeHarness(engine, { embedBatchSize: 1 });
    const owner = await createWorkspaceWithUser(harness.handle);
    workspaceId = owner.workspaceId;
    const notes = ["Dark mode, please.", "Export to PDF.", "Schedule reports monthly."];
    const documents = await insertTestDocuments(
      harness.handle,
      notes.map((content, index) => ({ workspaceId, externalId: `N${index}`, kind: "note", title: content, content })),
    );
    const last = documents.at(-1);
    if (!last) throw new Error("expected three documents");

    // The first embedding request deletes the last document, as a PM might while the job runs.
    const gateway = harness.deps.gateway;
    let deleted = false;
    harness.deps.gateway = new Proxy(gateway, {
      get(target, property) {
        if (property !== "embedTexts") return Reflect.get(target, property, target);
        return async (...args: Parameters<Gateway["embedTexts"]>) => {
          if (!deleted) {
            deleted = true;
            const actor = {
              userId: owner.userId,
              email: "",
              name: "",
              role: "member" as const,
              locale: null,
              via: "session" as const,
            };
            await deleteKnowledgeDocument(harness.handle.db, { actor, workspaceId, documentId: last.id });
          }
          return target.embedTexts(...args);
        };
      },
    });
    await harness.indexer.runPass();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("ends complete at full progress", async () => {
    const job = await getLatestKnowledgeJob(harness.handle.db, { workspaceId });
    if (!job) throw new Error("expected an embedding job");
    const status = toJobStatus(job);

    expect(status.status).toBe("completed");
    expect(status.embeddedChunks).toBe(2);
    expect(status.totalChunks).toBe(2);
    expect(status.progress).toBe(1);
  });
});
