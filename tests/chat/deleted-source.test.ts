import { afterAll, beforeAll, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { loadConversationMessages } from "@/lib/chat/conversations";
import { type ChatDeps, chatRequestSchema, respondToChat } from "@/lib/chat/respond";
import type { ChatSource } from "@/lib/chat/types";
import { deleteKnowledgeDocument } from "@/lib/knowledge/documents";
import { logger } from "@/lib/logger";
import { renderPrompt } from "@/lib/prompts";
import { describeEachEngine } from "@/lib/testing/database";
import { CHAT_TEST_SETTINGS, type ChatHarness, createChatHarness } from "./harness";
import { dataPart, readUiStream } from "./stream";

describeEachEngine("sources of deleted documents", (engine) => {
  let harness: ChatHarness;
  let sources: ChatSource[];
  let loaded: ChatSource[];

  beforeAll(async () => {
    harness = await createChatHarness(engine);
    const deps: ChatDeps = {
      db: harness.handle.db,
      knowledge: harness.knowledge,
      getLanguageModel: (role, options) => harness.gateway.getLanguageModel(role, options),
      renderPrompt: (request) => renderPrompt(request),
      settings: CHAT_TEST_SETTINGS,
      log: logger.child({ test: "deleted-source" }),
    };
    const actor: Actor = {
      userId: harness.member.userId,
      email: "pm@example.test",
      name: "PM",
      role: "member",
      locale: null,
      via: "token",
    };
    const request = chatRequestSchema.parse({
      workspaceId: harness.workspaceId,
      language: "en",
      message: { id: "q1", role: "user", parts: [{ type: "text", text: `Why is ${harness.firstItem.ref} first?` }] },
    });
    const response = await respondToChat(deps, { actor, request, signal: new AbortController().signal });
    sources = dataPart<{ sources: ChatSource[] }>(await readUiStream(response), "data-sources")?.sources ?? [];
    const cited = sources[0];
    if (!cited) throw new Error("expected the answer to have sources");

    await deleteKnowledgeDocument(harness.handle.db, {
      actor,
      workspaceId: harness.workspaceId,
      documentId: cited.documentId,
    });
    const conversationId = response.headers.get("x-conversation-id") as string;
    const messages = await loadConversationMessages(harness.handle.db, {
      conversationId,
      workspaceId: harness.workspaceId,
    });
    loaded = messages.flatMap((message) =>
      message.parts.flatMap((part) => (part.type === "data-sources" ? part.data.sources : [])),
    );
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("marks the deleted document's source", () => {
    const [first] = loaded;

    expect(first?.documentId).toBe(sources[0]?.documentId);
    expect(first?.deleted).toBe(true);
    expect(first?.text).toBe("");
    expect(first?.sourceUrl).toBeNull();
  });

  it("keeps the other sources", () => {
    const others = loaded.filter((source) => source.documentId !== sources[0]?.documentId);

    expect(others.length).toBeGreaterThan(0);
    expect(others.every((source) => !source.deleted && source.text.length > 0)).toBe(true);
  });
});
