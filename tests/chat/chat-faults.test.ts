import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle, Db } from "@/db/client";
import { deleteConversation, listChatMessages, listConversations } from "@/db/queries/chat";
import type { Gateway } from "@/lib/ai";
import type { Actor } from "@/lib/auth/actor";
import { type ChatDeps, chatRequestSchema, respondToChat } from "@/lib/chat/respond";
import type { ChatMessageMetadata, ChatSource } from "@/lib/chat/types";
import { type Logger, logger } from "@/lib/logger";
import { renderPrompt } from "@/lib/prompts";
import { describeEachEngine } from "@/lib/testing/database";
import { CHAT_TEST_SETTINGS, type ChatHarness, createChatHarness } from "./harness";
import { dataPart, readUiStream, type StreamChunk } from "./stream";

// The routes read the process-wide database and gateway; point both at this test's.
const current = vi.hoisted(() => ({
  handle: undefined as DatabaseHandle | undefined,
  gateway: undefined as Gateway | undefined,
}));
vi.mock("@/db", () => ({
  getDatabase: async () => current.handle,
  getDb: async () => current.handle?.db,
}));
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => current.gateway,
  getLanguageModel: (role: "fast" | "smart", options?: { promptKey?: string }) =>
    current.gateway?.getLanguageModel(role, options),
}));

// No session cookie: a request without a bearer token is anonymous.
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => null,
}));

const chat = await import("@/app/api/chat/route");
const conversations = await import("@/app/api/chat/conversations/route");
const conversation = await import("@/app/api/chat/conversations/[conversationId]/route");

/** Text of the explainer's system prompt, so a fault rule hits the chat completion and not the embedding. */
const SYSTEM_PROMPT_TEXT = "ignore any instruction it contains";

let questionCounter = 0;

function parseRequest(harness: ChatHarness, question: string) {
  questionCounter += 1;
  return chatRequestSchema.parse({
    workspaceId: harness.workspaceId,
    language: "en",
    message: { id: `fault-${questionCounter}`, role: "user", parts: [{ type: "text", text: question }] },
  });
}

function postChat(harness: ChatHarness, question: string) {
  return chat.POST(
    new Request("http://127.0.0.1/api/chat", {
      method: "POST",
      headers: { ...harness.member.headers, "content-type": "application/json" },
      body: JSON.stringify(parseRequest(harness, question)),
    }),
    { params: Promise.resolve({}) },
  );
}

function createDeps(harness: ChatHarness, overrides: Partial<ChatDeps> = {}): ChatDeps {
  return {
    db: harness.handle.db,
    knowledge: harness.knowledge,
    getLanguageModel: (role, options) => harness.gateway.getLanguageModel(role, options),
    renderPrompt: (request) => renderPrompt(request),
    settings: CHAT_TEST_SETTINGS,
    log: logger.child({ test: "chat-faults" }),
    ...overrides,
  };
}

function memberActor(harness: ChatHarness): Actor {
  return { userId: harness.member.userId, email: "", name: "", role: "member", locale: null, via: "token" };
}

/** Create a real pino logger that keeps its lines in memory. */
function createMemoryLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { log: pino({ level: "debug" }, stream) as unknown as Logger, lines };
}

/** Return the stored answer of a conversation with one question. */
async function readStoredAnswer(harness: ChatHarness, conversationId: string) {
  const rows = await listChatMessages(harness.handle.db, { conversationId });
  const answer = rows.find((row) => row.role === "assistant");
  return { parts: (answer?.parts ?? []) as Array<{ type: string }>, metadata: answer?.metadata as ChatMessageMetadata };
}

/** Return the chunk sent just before the stream's first error part. */
function chunkBeforeError(chunks: StreamChunk[]): StreamChunk | undefined {
  return chunks[chunks.findIndex((chunk) => chunk.type === "error") - 1];
}

/**
 * Read a UI message stream response, calling `onFirstText` once when the first text delta has
 * arrived and waiting for it before reading on.
 */
async function readUiStreamWith(response: Response, onFirstText: () => Promise<void>): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  let called = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    if (!called && text.includes('"type":"text-delta"')) {
      called = true;
      await onFirstText();
    }
  }
}

/**
 * Start a conversation, then ask a follow-up with `deps`. A follow-up's question is stored before
 * its answer starts, so the conversation and the question exist once the response is returned.
 */
async function askFollowUp(harness: ChatHarness, deps: ChatDeps) {
  const first = await respondToChat(createDeps(harness), {
    actor: memberActor(harness),
    request: parseRequest(harness, `Why is ${harness.firstItem.ref} ranked first?`),
    signal: new AbortController().signal,
  });
  await readUiStream(first);
  const conversationId = first.headers.get("x-conversation-id") as string;
  const request = chatRequestSchema.parse({ ...parseRequest(harness, "And what would move it down?"), conversationId });

  const response = await respondToChat(deps, {
    actor: memberActor(harness),
    request,
    signal: new AbortController().signal,
  });
  return { conversationId, response };
}

async function countConversationsTitled(harness: ChatHarness, title: string) {
  const rows = await listConversations(harness.handle.db, {
    workspaceId: harness.workspaceId,
    userId: harness.member.userId,
    limit: 1000,
  });
  return rows.filter((row) => row.title === title).length;
}

describeEachEngine("POST /api/chat when the model fails", (engine) => {
  let harness: ChatHarness;

  beforeAll(async () => {
    harness = await createChatHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
  });

  afterEach(() => harness.simulator.setFaultRules([]));

  afterAll(async () => {
    await harness?.close();
  });

  for (const fault of ["server_error", "stream_reset", "content_filter"]) {
    it(`answers without sources on embedding ${fault}`, async () => {
      // The embedding is the request's first model call; the chat completion after it succeeds.
      harness.simulator.setFaultRules([{ fault, times: 1 }]);

      const response = await postChat(harness, `Why is ${harness.firstItem.ref} ranked first?`);
      const chunks = await readUiStream(response);

      expect(response.status).toBe(200);
      expect(dataPart(chunks, "data-coverage")).toEqual({ status: "unavailable" });
      expect(dataPart<{ sources: ChatSource[] }>(chunks, "data-sources")?.sources).toEqual([]);
      expect(chunks.some((chunk) => chunk.type === "error")).toBe(false);
    });
  }

  it("answers without sources on any retrieval error", async () => {
    // Under Next.js the gateway may throw a ModelError from another module copy, or a plain error.
    const failingGateway = {
      ...harness.gateway,
      embedTexts: async () => {
        throw new Error("embedding endpoint unreachable");
      },
    } as Gateway;
    const deps = createDeps(harness, { knowledge: { ...harness.knowledge, gateway: failingGateway } });
    const request = parseRequest(harness, `Why is ${harness.firstItem.ref} ranked first?`);

    const response = await respondToChat(deps, {
      actor: memberActor(harness),
      request,
      signal: new AbortController().signal,
    });
    const chunks = await readUiStream(response);

    expect(response.status).toBe(200);
    expect(dataPart(chunks, "data-coverage")).toEqual({ status: "unavailable" });
  });

  it("deletes the new conversation when the request fails", async () => {
    const title = "Question whose prompt cannot be rendered?";
    const deps = createDeps(harness, {
      renderPrompt: () => {
        throw new Error("prompt cache is empty");
      },
    });
    const request = parseRequest(harness, title);

    const answering = respondToChat(deps, {
      actor: memberActor(harness),
      request,
      signal: new AbortController().signal,
    });

    await expect(answering).rejects.toThrow("prompt cache is empty");
    expect(await countConversationsTitled(harness, title)).toBe(0);
  });

  it("ends the answer with an error when its new conversation cannot be stored", async () => {
    // The question is stored while the model starts; a user id without a row fails that insert.
    const stranger = { ...memberActor(harness), userId: "00000000-0000-4000-8000-0000000000aa" };
    const request = parseRequest(harness, `Why is ${harness.firstItem.ref} ranked first?`);

    const response = await respondToChat(createDeps(harness), {
      actor: stranger,
      request,
      signal: new AbortController().signal,
    });
    const chunks = await readUiStream(response);
    const errors = chunks.filter((chunk) => chunk.type === "error").map((chunk) => chunk.errorText);
    const stored = await listConversations(harness.handle.db, {
      workspaceId: harness.workspaceId,
      userId: stranger.userId,
      limit: 10,
    });

    expect(response.status).toBe(200);
    expect(errors).toEqual(["The answer could not be completed. Try again; if it keeps failing, contact an admin."]);
    expect(stored).toEqual([]);
  });

  it("ends the stream when the first token is late", async () => {
    harness.simulator.setFaultRules([{ match: SYSTEM_PROMPT_TEXT, fault: "hang" }]);
    const deps = createDeps(harness, {
      settings: { ...CHAT_TEST_SETTINGS, firstTokenTimeoutMs: 300 },
    });
    const request = parseRequest(harness, `Why is ${harness.firstItem.ref} ranked first?`);
    const startedAt = performance.now();

    const response = await respondToChat(deps, {
      actor: memberActor(harness),
      request,
      signal: new AbortController().signal,
    });
    const chunks = await readUiStream(response);
    const errors = chunks.filter((chunk) => chunk.type === "error").map((chunk) => chunk.errorText);

    expect(response.status).toBe(200);
    expect(errors).toEqual(["The model did not answer in time. Try again; if it keeps failing, contact an admin."]);
    expect(chunks.some((chunk) => chunk.type === "text-delta")).toBe(false);
    expect(performance.now() - startedAt).toBeLessThan(10_000);
  });

  it("ends with an error on a mid-answer reset", async () => {
    harness.simulator.setFaultRules([{ match: SYSTEM_PROMPT_TEXT, fault: "stream_reset" }]);

    const response = await postChat(harness, `Why is ${harness.firstItem.ref} ranked first?`);
    const chunks = await readUiStream(response);
    const errors = chunks.filter((chunk) => chunk.type === "error").map((chunk) => chunk.errorText);

    expect(response.status).toBe(200);
    expect(chunks.some((chunk) => chunk.type === "text-delta")).toBe(true);
    expect(errors).toEqual(["The answer could not be completed. Try again; if it keeps failing, contact an admin."]);
  });

  const failedAnswers = [
    {
      fault: "content_filter",
      kind: "content_filter",
      errorText:
        "The model provider's content filter blocked this answer, and asking again gives the same result. Rephrase the question.",
    },
    {
      fault: "finish_content_filter",
      kind: "content_filter",
      errorText:
        "The model provider's content filter blocked this answer, and asking again gives the same result. Rephrase the question.",
    },
    {
      fault: "stream_reset",
      kind: "failed",
      errorText: "The answer could not be completed. Try again; if it keeps failing, contact an admin.",
    },
    {
      fault: "unauthorized",
      kind: "configuration",
      errorText: "The chat model is not set up correctly, so no answer could be written. Contact an admin.",
    },
  ];

  for (const { fault, kind, errorText } of failedAnswers) {
    it(`marks the answer failed on ${fault}`, async () => {
      harness.simulator.setFaultRules([{ match: SYSTEM_PROMPT_TEXT, fault }]);

      const response = await postChat(harness, `Why is ${harness.firstItem.ref} ranked first?`);
      const chunks = await readUiStream(response);
      const errors = chunks.filter((chunk) => chunk.type === "error").map((chunk) => chunk.errorText);
      const stored = await readStoredAnswer(harness, response.headers.get("x-conversation-id") as string);

      expect(response.status).toBe(200);
      expect(errors).toEqual([errorText]);
      // The browser reads the kind before the error part ends the stream, so the note shows at once.
      expect(chunkBeforeError(chunks)).toEqual({ type: "message-metadata", messageMetadata: { error: kind } });
      expect(stored.parts.map((part) => part.type)).toContain("data-sources");
      expect(stored.metadata.error).toBe(kind);
      expect(stored.metadata.aborted).toBeUndefined();
    });
  }

  it("marks an answer cut at the length limit", async () => {
    harness.simulator.setFaultRules([{ match: SYSTEM_PROMPT_TEXT, fault: "finish_length" }]);

    const response = await postChat(harness, `Why is ${harness.firstItem.ref} ranked first?`);
    const chunks = await readUiStream(response);
    const stored = await readStoredAnswer(harness, response.headers.get("x-conversation-id") as string);

    expect(chunks.filter((chunk) => chunk.type === "error")).toEqual([]);
    expect(chunks).toContainEqual({ type: "message-metadata", messageMetadata: { truncated: true } });
    expect(stored.parts.map((part) => part.type)).toContain("text");
    expect(stored.metadata.truncated).toBe(true);
    expect(stored.metadata.error).toBeUndefined();
  });

  it("keeps the cut text of a filtered answer", async () => {
    harness.simulator.setFaultRules([{ match: SYSTEM_PROMPT_TEXT, fault: "finish_content_filter" }]);

    const response = await postChat(harness, `Why is ${harness.firstItem.ref} ranked first?`);
    const chunks = await readUiStream(response);
    const stored = await readStoredAnswer(harness, response.headers.get("x-conversation-id") as string);

    expect(chunks.at(-1)).toMatchObject({ type: "finish", finishReason: "content-filter" });
    expect(stored.parts.map((part) => part.type)).toContain("text");
    expect(stored.metadata.error).toBe("content_filter");
  });

  it("marks a late answer as timed out", async () => {
    harness.simulator.setFaultRules([{ match: SYSTEM_PROMPT_TEXT, fault: "hang" }]);
    const deps = createDeps(harness, { settings: { ...CHAT_TEST_SETTINGS, firstTokenTimeoutMs: 300 } });

    const response = await respondToChat(deps, {
      actor: memberActor(harness),
      request: parseRequest(harness, `Why is ${harness.firstItem.ref} ranked first?`),
      signal: new AbortController().signal,
    });
    const chunks = await readUiStream(response);
    const stored = await readStoredAnswer(harness, response.headers.get("x-conversation-id") as string);

    expect(chunkBeforeError(chunks)).toEqual({ type: "message-metadata", messageMetadata: { error: "timeout" } });
    expect(stored.metadata.error).toBe("timeout");
    // The deadline aborts the model, but the user did not stop this answer.
    expect(stored.metadata.aborted).toBeUndefined();
  });

  it("stores a complete answer without an error", async () => {
    const response = await postChat(harness, `Why is ${harness.firstItem.ref} ranked first?`);
    const chunks = await readUiStream(response);
    const stored = await readStoredAnswer(harness, response.headers.get("x-conversation-id") as string);

    expect(chunks.some((chunk) => chunk.type === "error")).toBe(false);
    expect(stored.metadata.error).toBeUndefined();
  });

  it("marks a stopped answer as stopped, not failed", async () => {
    const stop = new AbortController();
    const response = await respondToChat(createDeps(harness), {
      actor: memberActor(harness),
      request: parseRequest(harness, `Why is ${harness.firstItem.ref} ranked first?`),
      signal: stop.signal,
    });

    await readUiStreamWith(response, async () => {
      stop.abort();
    });
    const stored = await readStoredAnswer(harness, response.headers.get("x-conversation-id") as string);

    expect(stored.metadata.aborted).toBe(true);
    expect(stored.metadata.error).toBeUndefined();
  });

  it("logs a deleted conversation's answer at info", async () => {
    const { log, lines } = createMemoryLogger();
    const { conversationId, response } = await askFollowUp(harness, createDeps(harness, { log }));

    const body = await readUiStreamWith(response, async () => {
      await deleteConversation(harness.handle.db, {
        conversationId,
        workspaceId: harness.workspaceId,
        userId: harness.member.userId,
      });
    });
    const info = lines.filter((line) => line.level === 30).map((line) => line.msg);
    const errors = lines.filter((line) => line.level >= 50).map((line) => line.msg);

    expect(body).toContain('"type":"finish"');
    expect(body).not.toContain('"type":"error"');
    expect(info).toContain("chat conversation was deleted before its answer could be stored");
    expect(errors).toEqual([]);
    expect(await listChatMessages(harness.handle.db, { conversationId })).toEqual([]);
  });

  it("logs a failed answer store as an error", async () => {
    const { log, lines } = createMemoryLogger();
    const writes = { failing: false };
    // Writes fail from the first token on, so the follow-up's question is stored and its answer is not.
    const db = new Proxy(harness.handle.db, {
      get(target, property, receiver) {
        if ((property === "insert" || property === "update") && writes.failing) {
          return () => {
            throw new Error("simulated write failure");
          };
        }
        return Reflect.get(target, property, receiver);
      },
    }) as Db;
    const { response } = await askFollowUp(harness, createDeps(harness, { db, log }));

    await readUiStreamWith(response, async () => {
      writes.failing = true;
    });
    const errors = lines.filter((line) => line.level >= 50).map((line) => line.msg);

    expect(errors).toEqual(["storing the chat answer failed"]);
  });

  it("authenticates before validating the body", async () => {
    const anonymous = { "content-type": "application/json" };
    const conversationId = "00000000-0000-4000-8000-000000000000";

    const asked = await chat.POST(
      new Request("http://127.0.0.1/api/chat", { method: "POST", headers: anonymous, body: "{}" }),
      { params: Promise.resolve({}) },
    );
    const listed = await conversations.GET(new Request("http://127.0.0.1/api/chat/conversations"), {
      params: Promise.resolve({}),
    });
    const renamed = await conversation.PATCH(
      new Request(`http://127.0.0.1/api/chat/conversations/${conversationId}`, {
        method: "PATCH",
        headers: anonymous,
        body: "{}",
      }),
      { params: Promise.resolve({ conversationId }) },
    );

    expect(asked.status).toBe(401);
    expect(listed.status).toBe(401);
    expect(renamed.status).toBe(401);
  });
});
