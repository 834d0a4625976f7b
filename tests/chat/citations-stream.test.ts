import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { simulateReadableStream } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listChatMessages } from "@/db/queries/chat";
import type { Actor } from "@/lib/auth/actor";
import { type ChatDeps, chatRequestSchema, respondToChat } from "@/lib/chat/respond";
import type { ChatSource } from "@/lib/chat/types";
import { logger } from "@/lib/logger";
import { renderPrompt } from "@/lib/prompts";
import { describeEachEngine } from "@/lib/testing/database";
import { CHAT_TEST_SETTINGS, type ChatHarness, createChatHarness } from "./harness";
import { answerText, dataPart, readUiStream } from "./stream";

/**
 * The simulator cites only the sources it was given, so this test replays a model that cites a
 * source that does not exist, through the real route logic, database and retrieval.
 */
function modelCiting(deltas: string[]) {
  const chunks: LanguageModelV3StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "answer" },
    ...deltas.map((delta): LanguageModelV3StreamPart => ({ type: "text-delta", id: "answer", delta })),
    { type: "text-end", id: "answer" },
    {
      type: "finish",
      finishReason: { unified: "stop", raw: "stop" },
      usage: {
        inputTokens: { total: 100, noCache: 100, cacheRead: 0, cacheWrite: 0 },
        outputTokens: { total: 20, text: 20, reasoning: 0 },
      },
    },
  ];
  return new MockLanguageModelV3({ doStream: async () => ({ stream: simulateReadableStream({ chunks }) }) });
}

describeEachEngine("chat citation validation", (engine) => {
  let harness: ChatHarness;

  beforeAll(async () => {
    harness = await createChatHarness(engine);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it("removes and records an unknown citation", async () => {
    const deps: ChatDeps = {
      db: harness.handle.db,
      knowledge: harness.knowledge,
      getLanguageModel: () =>
        modelCiting([`${harness.firstItem.ref} leads on reach [`, "1]. Finance asks too [", "99", "]. Done."]),
      renderPrompt: (request) => renderPrompt(request),
      settings: CHAT_TEST_SETTINGS,
      log: logger.child({ test: "citations" }),
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
      message: {
        id: "cite-check",
        role: "user",
        parts: [{ type: "text", text: `Why is ${harness.firstItem.ref} first?` }],
      },
    });

    const response = await respondToChat(deps, { actor, request, signal: new AbortController().signal });
    const chunks = await readUiStream(response);
    const text = answerText(chunks);
    const sources = dataPart<{ sources: ChatSource[] }>(chunks, "data-sources")?.sources ?? [];
    const finish = chunks.find((chunk) => chunk.type === "finish") as {
      messageMetadata?: { removedCitations?: number[] };
    };
    const stored = await listChatMessages(harness.handle.db, {
      conversationId: response.headers.get("x-conversation-id") as string,
    });

    expect(sources.length).toBeGreaterThan(0);
    expect(sources.length).toBeLessThan(99);
    expect(text).toBe(`${harness.firstItem.ref} leads on reach [1]. Finance asks too. Done.`);
    expect(finish.messageMetadata?.removedCitations).toEqual([99]);
    expect(stored.at(-1)?.metadata).toEqual({ removedCitations: [99] });
    expect(JSON.stringify(stored.at(-1)?.parts)).not.toContain("[99]");
  });
});
