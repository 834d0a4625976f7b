import type { LanguageModelV3 } from "@ai-sdk/provider";
import {
  consumeStream,
  createUIMessageStream,
  createUIMessageStreamResponse,
  generateId,
  type InferUIMessageChunk,
  streamText,
} from "ai";
import { z } from "zod";
import type { Db } from "@/db/client";
import {
  conversationExists,
  countQuestionsAfter,
  deleteConversation,
  deleteMessagesAfter,
  insertChatMessageIfNew,
  touchConversation,
  upsertChatMessage,
} from "@/db/queries/chat";
import type { ChatConversation } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { badRequest, conflict } from "@/lib/errors";
import { locales } from "@/lib/i18n/locales";
import type { KnowledgeDeps } from "@/lib/knowledge/deps";
import type { Logger } from "@/lib/logger";
import type { RenderedPrompt, RenderPromptRequest } from "@/lib/prompts/render";
import { countCharacters } from "@/lib/text";
import { CitationFilter, createCitationTransform } from "./citations";
import { getConversationOrThrow, prepareConversation, readRankingSnapshot, saveConversation } from "./conversations";
import { startFirstTokenDeadline } from "./deadline";
import { ANSWER_ERROR_MESSAGES, classifyAnswerError } from "./failures";
import { buildChatPrompt, type ChatPrompt } from "./prompt";
import type { ChatAnswerErrorKind, ChatMessageMetadata, ChatSource, ChatUIMessage } from "./types";

export interface ChatSettings {
  rankingItems: number;
  historyMessages: number;
  maxQuestionChars: number;
  /** Time the model has to send the first token of an answer before the stream ends with an error, in milliseconds. */
  firstTokenTimeoutMs: number;
  /** Answer text is sent at most this often, in milliseconds, the tokens between merged; 0 sends each token. */
  streamIntervalMs: number;
}

/** Everything the chat needs from outside; tests build one with a simulator and a test database. */
export interface ChatDeps {
  db: Db;
  knowledge: KnowledgeDeps;
  getLanguageModel: (
    role: "fast" | "smart",
    options?: { promptKey?: string; textIntervalMs?: number },
  ) => LanguageModelV3;
  renderPrompt: (request: RenderPromptRequest) => RenderedPrompt;
  settings: ChatSettings;
  log: Logger;
}

const userMessageSchema = z.object({
  id: z.string().min(1).max(200),
  role: z.literal("user"),
  parts: z
    .array(z.looseObject({ type: z.string() }))
    .min(1)
    .max(20),
});

export const chatRequestSchema = z.object({
  workspaceId: z.uuid(),
  /** Omitted for the first question: the conversation is created with the current ranking. */
  conversationId: z.uuid().optional(),
  /** The UI language; the answer is written in it. */
  language: z.enum(locales),
  trigger: z.enum(["submit-message", "regenerate-message"]).default("submit-message"),
  /** The question; on regenerate, the question whose answer is replaced. */
  message: userMessageSchema,
  /** Short ids of items the question is about (`A01`, `#12`), from the Explain buttons. */
  focusItems: z.array(z.string().trim().min(1).max(64)).max(10).default([]),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

const OWN_ERROR_TEXTS = new Set(Object.values(ANSWER_ERROR_MESSAGES));

function readQuestion(request: ChatRequest, maxChars: number): string {
  const question = request.message.parts
    .flatMap((part) => (part.type === "text" && typeof part.text === "string" ? [part.text] : []))
    .join("\n")
    .trim();
  if (!question) throw badRequest("The question is empty; type a question.", { field: "message" });
  if (countCharacters(question) > maxChars) {
    throw badRequest(`The question is longer than ${maxChars} characters; shorten it.`, {
      field: "message",
      reason: "chat_question_too_long",
      params: { max: maxChars },
    });
  }
  return question;
}

/**
 * Store the question before the model responds. A new conversation is inserted with it. In an
 * existing one, only a regenerate may replace a stored question, and it also drops the answers
 * after it. It is a 409 when a regenerate would delete a later question, asked in another tab or
 * window, and when a new question reuses the id of a stored message.
 */
async function storeQuestion(
  db: Db,
  conversation: ChatConversation,
  request: ChatRequest,
  question: string,
  isNew: boolean,
) {
  const message = {
    conversationId: conversation.id,
    id: request.message.id,
    role: "user" as const,
    parts: [{ type: "text", text: question }],
  };
  if (isNew) {
    await saveConversation(db, conversation);
    await upsertChatMessage(db, message);
    return;
  }
  await db.transaction(async (tx) => {
    if (request.trigger === "regenerate-message") {
      const later = await countQuestionsAfter(tx, { conversationId: conversation.id, messageId: request.message.id });
      if (later > 0) {
        throw conflict(
          "This conversation has newer questions, asked in another tab or window. Reload it to see them, then ask again.",
          { field: "message", reason: "chat_conversation_changed" },
        );
      }
      await upsertChatMessage(tx, message);
      await deleteMessagesAfter(tx, { conversationId: conversation.id, messageId: request.message.id });
    } else if (!(await insertChatMessageIfNew(tx, message))) {
      // The insert is the check, so two requests with the same id cannot both pass it.
      throw conflict(
        `The conversation already has a message with id "${request.message.id}", so nothing was changed. ` +
          'Send the new question with a new message id. To replace that question\'s answer, send it with trigger "regenerate-message".',
        { field: "message", reason: "chat_message_id_taken" },
      );
    }
    await touchConversation(tx, { conversationId: conversation.id });
  });
}

/**
 * Answer a question as an AI SDK UI message stream: the numbered sources and the coverage first
 * (as `data-sources` and `data-coverage` parts), then the answer's text token by token with
 * citations validated against the sources. The answer is stored when the stream ends, also when
 * the user stops it. Errors before the stream starts are thrown (the route turns them into JSON);
 * errors after it go into the stream's error part and the log, never with provider details.
 */
export async function respondToChat(
  deps: ChatDeps,
  params: { actor: Actor; request: ChatRequest; signal: AbortSignal },
): Promise<Response> {
  const { request, actor } = params;
  const question = readQuestion(request, deps.settings.maxQuestionChars);
  const startedAt = performance.now();
  const isNew = !request.conversationId;
  const conversation = isNew
    ? await prepareConversation(deps.db, {
        workspaceId: request.workspaceId,
        userId: actor.userId,
        language: request.language,
        question,
      })
    : await getConversationOrThrow(deps.db, {
        conversationId: request.conversationId as string,
        workspaceId: request.workspaceId,
        userId: actor.userId,
      });
  const log = deps.log.child({
    conversationId: conversation.id,
    workspaceId: request.workspaceId,
    userId: actor.userId,
  });

  // An existing conversation stores the question first, because its history goes into the prompt.
  // A new one is written while the model works on its first token (see `createAnswerStream`).
  const conversationReadyAt = performance.now();
  if (!isNew) await storeQuestion(deps.db, conversation, request, question, false);
  let prompt: ChatPrompt;
  try {
    prompt = await buildChatPrompt(deps, { conversation, request, question, isNew, signal: params.signal, log });
  } catch (error) {
    if (params.signal.aborted) await storeStoppedAnswer(deps, { conversation, request, question, isNew, log });
    throw error;
  }
  log.debug(
    {
      sources: prompt.sources.length,
      coverage: prompt.coverage,
      promptVersion: prompt.rendered.versionNumber,
      conversationMs: Math.round(conversationReadyAt - startedAt),
      promptMs: Math.round(performance.now() - conversationReadyAt),
    },
    "chat prompt ready",
  );

  const storeNewConversation = isNew ? () => storeQuestion(deps.db, conversation, request, question, true) : undefined;
  const stream = createAnswerStream(deps, {
    conversation,
    request,
    prompt,
    storeNewConversation,
    signal: params.signal,
    log,
  });
  return createUIMessageStreamResponse({
    stream,
    // Read the stream to its end even if the browser goes away, so the answer is still stored.
    consumeSseStream: ({ stream: copy }) => consumeStream({ stream: copy }),
    // `no-transform` keeps the server's gzip off the stream. Compressing every token costs CPU, and
    // the compressor keeps bytes back.
    headers: { "x-conversation-id": conversation.id, "cache-control": "no-cache, no-transform" },
  });
}

/**
 * Keep a question whose asker stopped it before the answer started: the question (with its new
 * conversation) and an empty answer marked as stopped, as when Stop comes during the answer.
 */
async function storeStoppedAnswer(
  deps: ChatDeps,
  params: { conversation: ChatConversation; request: ChatRequest; question: string; isNew: boolean; log: Logger },
): Promise<void> {
  const { conversation } = params;
  try {
    if (params.isNew) await storeQuestion(deps.db, conversation, params.request, params.question, true);
    await upsertChatMessage(deps.db, {
      conversationId: conversation.id,
      id: generateId(),
      role: "assistant",
      parts: [],
      metadata: { aborted: true },
    });
    await touchConversation(deps.db, { conversationId: conversation.id });
    params.log.info("chat question stopped before its answer started");
  } catch (error) {
    await logStoreFailure(deps.db, {
      conversationId: conversation.id,
      error,
      message: "storing a question stopped before its answer failed",
      log: params.log,
    });
  }
}

/**
 * Log a failed write of an answer. A conversation deleted while its answer was on its way is an
 * expected case, so it is logged at info level. Any other failure is logged as an error.
 */
async function logStoreFailure(
  db: Db,
  params: { conversationId: string; error: unknown; message: string; log: Logger },
): Promise<void> {
  let deleted = false;
  try {
    deleted = !(await conversationExists(db, { conversationId: params.conversationId }));
  } catch {
    // The check failed too, so the database is likely down and the original error is logged below.
  }
  if (deleted) params.log.info("chat conversation was deleted before its answer could be stored");
  else params.log.error({ err: params.error }, params.message);
}

/** Delete a new conversation whose question could not be stored; its messages go with it. */
async function discardConversation(db: Db, conversation: ChatConversation, log: Logger): Promise<void> {
  try {
    await deleteConversation(db, {
      conversationId: conversation.id,
      workspaceId: conversation.workspaceId,
      userId: conversation.userId,
    });
  } catch (error) {
    log.error({ err: error }, "deleting the conversation of a failed chat request failed");
  }
}

function createAnswerStream(
  deps: ChatDeps,
  params: {
    conversation: ChatConversation;
    request: ChatRequest;
    prompt: ChatPrompt;
    /** Writes a new conversation and its question. The answer is stored after it, and not at all if it fails. */
    storeNewConversation?: () => Promise<void>;
    signal: AbortSignal;
    log: Logger;
  },
) {
  const { conversation, prompt, log } = params;
  // Aborted when the question cannot be stored. That stops the model, because its answer could
  // not be kept.
  const storeFailure = new AbortController();
  // The first failure of the answer is kept. A stop by the user is no failure.
  let failure: ChatAnswerErrorKind | undefined;
  // Set when the model stopped at its output token limit: the answer is complete but cut short.
  let truncated = false;
  const recordFailure = (kind: ChatAnswerErrorKind): string => {
    if (!params.signal.aborted) failure ??= kind;
    return ANSWER_ERROR_MESSAGES[failure ?? kind];
  };
  const filter = new CitationFilter(new Set(prompt.sources.map((source: ChatSource) => source.n)));
  const assistantId = generateId();
  const userMessage: ChatUIMessage = {
    id: params.request.message.id,
    role: "user",
    parts: [{ type: "text", text: "" }],
  };

  return createUIMessageStream<ChatUIMessage>({
    originalMessages: [userMessage],
    generateId: () => assistantId,
    execute: async ({ writer }) => {
      const rankingTakenAt = readRankingSnapshot(conversation).takenAt;
      writer.write({
        type: "start",
        messageId: assistantId,
        messageMetadata: { conversationId: conversation.id, rankingTakenAt },
      });
      writer.write({ type: "data-sources", data: { sources: prompt.sources } });
      writer.write({ type: "data-coverage", data: { status: prompt.coverage } });

      const signal = AbortSignal.any([params.signal, storeFailure.signal]);
      const deadline = startFirstTokenDeadline(deps.settings.firstTokenTimeoutMs, signal, () => {
        log.warn({ timeoutMs: deps.settings.firstTokenTimeoutMs }, "chat model sent no token before the deadline");
        const errorText = recordFailure("timeout");
        writer.write({ type: "message-metadata", messageMetadata: { error: "timeout" } });
        writer.write({ type: "error", errorText });
      });
      const parameters = prompt.rendered.parameters;
      const result = streamText({
        model: deps.getLanguageModel(prompt.rendered.modelRole, {
          promptKey: "explainer",
          textIntervalMs: deps.settings.streamIntervalMs,
        }),
        system: prompt.system,
        messages: prompt.messages,
        temperature: parameters.temperature,
        topP: parameters.topP,
        frequencyPenalty: parameters.frequencyPenalty,
        presencePenalty: parameters.presencePenalty,
        maxOutputTokens: parameters.maxOutputTokens,
        abortSignal: deadline.signal,
        maxRetries: 0,
        experimental_transform: createCitationTransform(filter),
        onChunk: deadline.clear,
        onFinish: deadline.clear,
        onAbort: deadline.clear,
        onError: ({ error }) => {
          deadline.clear();
          if (deadline.expired) return;
          const answerError = classifyAnswerError(error);
          // A filtered question is the user's to change, so it is no error of the service.
          if (answerError === "content_filter") {
            log.warn({ err: error, answerError }, "chat answer blocked by the content filter");
          } else {
            log.error({ err: error, answerError }, "chat answer stream failed");
          }
        },
      });
      const answer = result.toUIMessageStream<ChatUIMessage>({
        sendStart: false,
        messageMetadata: ({ part }) =>
          part.type === "finish" && filter.removedNumbers.length > 0
            ? { removedCitations: filter.removedNumbers }
            : undefined,
        onError: (error) => recordFailure(classifyAnswerError(error)),
      });
      writer.merge(
        answer.pipeThrough(
          markFailedAnswer({
            readFailure: () => failure,
            onContentFilterFinish: () => {
              log.warn("chat answer cut short by the content filter");
              return recordFailure("content_filter");
            },
            onLengthFinish: () => {
              log.info("chat answer reached the output token limit");
              truncated = true;
            },
          }),
        ),
      );
      if (params.storeNewConversation) {
        // Written while the model works on its first token, so the write stays out of the time to
        // the first token. PGlite runs it on this thread, so it waits one event-loop turn, by which
        // the model request is usually on its way.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await params.storeNewConversation();
        } catch (error) {
          // Without the conversation there is nowhere to store the answer, so the model is stopped.
          storeFailure.abort(error);
          await discardConversation(deps.db, conversation, log);
          // Reported through `onError` below, which logs it and ends the stream with an error part.
          throw error;
        }
      }
    },
    onError: (error) => {
      // The SDK passes back the error parts this stream wrote itself. Those failures were logged
      // where they happened, so only new ones are logged here.
      if (error instanceof Error && OWN_ERROR_TEXTS.has(error.message)) return error.message;
      log.error({ err: error }, "chat stream failed");
      return recordFailure("failed");
    },
    onFinish: async ({ responseMessage, isAborted }) => {
      const removed = filter.removedNumbers;
      if (removed.length > 0)
        log.warn({ removed, sources: prompt.sources.length }, "removed citations of sources that were not given");
      // The first-token deadline aborts the model too, but that answer failed, so it is not marked as stopped.
      const metadata: ChatMessageMetadata = {
        removedCitations: removed.length > 0 ? removed : undefined,
        aborted: (isAborted && failure === undefined) || undefined,
        error: failure,
        truncated: truncated || undefined,
      };
      if (storeFailure.signal.aborted) return;
      try {
        await upsertChatMessage(deps.db, {
          conversationId: conversation.id,
          id: responseMessage.id || assistantId,
          role: "assistant",
          parts: responseMessage.parts,
          metadata: JSON.parse(JSON.stringify(metadata)),
        });
        await touchConversation(deps.db, { conversationId: conversation.id });
      } catch (error) {
        await logStoreFailure(deps.db, {
          conversationId: conversation.id,
          error,
          message: "storing the chat answer failed",
          log,
        });
      }
    },
  });
}

/**
 * Mark a failed answer in its UI message stream. Before each error part, a `message-metadata` part
 * sets `error` on the answer, so the browser shows the same note as after a reload. A finish
 * because of the content filter gets an error part, because the model sends none. A finish at the
 * output token limit sets `truncated` the same way, with no error part.
 */
function markFailedAnswer(params: {
  readFailure: () => ChatAnswerErrorKind | undefined;
  /** Callback that records the content filter as the answer's failure and returns the error text. */
  onContentFilterFinish: () => string;
  onLengthFinish: () => void;
}): TransformStream<InferUIMessageChunk<ChatUIMessage>, InferUIMessageChunk<ChatUIMessage>> {
  return new TransformStream({
    transform(chunk, controller) {
      if (chunk.type === "finish" && chunk.finishReason === "content-filter" && !params.readFailure()) {
        const errorText = params.onContentFilterFinish();
        controller.enqueue({ type: "message-metadata", messageMetadata: { error: "content_filter" } });
        controller.enqueue({ type: "error", errorText });
      } else if (chunk.type === "finish" && chunk.finishReason === "length") {
        params.onLengthFinish();
        controller.enqueue({ type: "message-metadata", messageMetadata: { truncated: true } });
      } else if (chunk.type === "error") {
        const kind = params.readFailure();
        if (kind) controller.enqueue({ type: "message-metadata", messageMetadata: { error: kind } });
      }
      controller.enqueue(chunk);
    },
  });
}
