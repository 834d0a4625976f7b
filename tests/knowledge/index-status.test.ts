import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { IndexStatus } from "@/components/knowledge/index-status";
import { countEmbeddedChunks, getLatestKnowledgeJob } from "@/db/queries/knowledge";
import { getEmbeddingModelKey } from "@/lib/knowledge/deps";
import { toJobStatus } from "@/lib/knowledge/status";
import { describeEachEngine } from "@/lib/testing/database";
import messages from "@/messages/en.json";
import { createKnowledgeHarness, createWorkspaceWithUser, insertTestDocuments, type KnowledgeHarness } from "./harness";

// The component refreshes the page through the App Router, which a static render does not mount.
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: () => undefined }) }));

function renderIndexStatus(props: Parameters<typeof IndexStatus>[0]): string {
  // createElement's types want `children` among the props, though it is passed as the third argument.
  const config = { locale: "en", timeZone: "UTC", messages } as unknown as ComponentProps<
    typeof NextIntlClientProvider
  >;
  return renderToStaticMarkup(createElement(NextIntlClientProvider, config, createElement(IndexStatus, props)));
}

describeEachEngine("knowledge index status", (engine) => {
  let harness: KnowledgeHarness;
  let workspaceId: string;

  beforeAll(async () => {
    harness = await createKnowledgeHarness(engine);
    workspaceId = (await createWorkspaceWithUser(harness.handle)).workspaceId;
    const longText = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} about exporting dashboards as PDF files.`);
    await insertTestDocuments(harness.handle, [
      {
        workspaceId,
        externalId: "N001",
        kind: "note",
        title: "Long note",
        content: longText.join("\n\n"),
        language: "en",
      },
    ]);
    await harness.indexer.runPass();
    await insertTestDocuments(harness.handle, [
      {
        workspaceId,
        externalId: "N002",
        kind: "note",
        title: "Short note",
        content: "Dark mode, please.",
        language: "en",
      },
    ]);
    await harness.indexer.runPass();
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("counts chunks embedded by every job", async () => {
    const job = await getLatestKnowledgeJob(harness.handle.db, { workspaceId });
    const model = getEmbeddingModelKey(harness.deps) ?? "";
    const embedded = await countEmbeddedChunks(harness.handle.db, { workspaceId, model });

    expect(job?.status).toBe("completed");
    expect(job?.embeddedChunks).toBe(1);
    expect(embedded).toBeGreaterThan(1);
  });

  it("shows the workspace's embedded total after a small job", async () => {
    const job = await getLatestKnowledgeJob(harness.handle.db, { workspaceId });
    const model = getEmbeddingModelKey(harness.deps) ?? "";
    const embedded = await countEmbeddedChunks(harness.handle.db, { workspaceId, model });
    if (!job) throw new Error("expected an embedding job");

    const html = renderIndexStatus({
      workspaceId,
      initial: toJobStatus(job),
      embeddedChunks: embedded,
      canEdit: false,
    });

    expect(html).toContain(`All ${embedded} chunks are embedded`);
    expect(html).not.toContain("All 1 chunk is embedded");
  });
});
