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
  deleteChatMessage,
  deleteConversation,
  deleteMessagesAfter,
  failExpiredAnswers,
  getChatMessageRole,
  hasAnswerInFlight,
  insertChatMessageIfNew,
  lockConversation,
  PENDING_ANSWER_METADATA,
  touchConversation,
  updateChatAnswer,
  upsertChatMessage,
} from "@/db/queries/chat";
import type { ChatConversation } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { AppError, badRequest, conflict, notFound } from "@/lib/errors";
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
  /**
   * Age after which an answer still marked as being written counts as abandoned, in milliseconds,
   * so a server that stopped mid-answer does not keep its conversation busy. Defaults to
   * `DEFAULT_ANSWER_EXPIRY_MS`.
   */
  answerExpiryMs?: number;
}

/**
 * Default of `ChatSettings.answerExpiryMs`: twice the gateway's default call deadline
 * (`MODEL_TIMEOUT_MS`, 120 s), one for the retrieval's embedding call and one for the answer's
 * chat completion, plus a minute for the database writes. `readChatSettings` derives it from the
 * configured deadline.
 */
export const DEFAULT_ANSWER_EXPIRY_MS = 2 * 120_000 + 60_000;

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

/** 409 for a question or regenerate that arrives while the conversation has an answer in flight. */
function conversationBusy(): AppError {
  return conflict(
    "This conversation is still writing an answer, so nothing was changed. " +
      "Wait for that answer to finish or stop it, then send the question again.",
    { reason: "chat_conversation_busy" },
  );
}

function isConversationBusy(error: unknown): boolean {
  return error instanceof AppError && error.details?.reason === "chat_conversation_busy";
}

/**
 * Answers in flight in this process, by conversation: the request's signal, and a promise that
 * settles once the answer is stored. A question sent right after Stop can arrive before the stopped
 * answer is stored, so it waits for that store instead of getting the busy 409.
 */
const answersInFlight = new Map<string, { signal: AbortSignal; stored: Promise<void> }>();

/** Longest wait for a stopped answer of this process to be stored, in milliseconds. */
const STOPPED_ANSWER_WAIT_MS = 5_000;

/** Record an answer in flight; the returned function marks it stored. */
function trackAnswer(conversationId: string, signal: AbortSignal): () => void {
  let markStored = () => {};
  const stored = new Promise<void>((resolve) => {
    markStored = resolve;
  });
  const entry = { signal, stored };
  answersInFlight.set(conversationId, entry);
  return () => {
    markStored();
    if (answersInFlight.get(conversationId) === entry) answersInFlight.delete(conversationId);
  };
}

/** Store the question, waiting first for an answer that its asker stopped but that is not stored yet. */
async function storeQuestionAfterStop(db: Db, write: QuestionWrite): Promise<void> {
  try {
    await storeQuestion(db, write);
  } catch (error) {
    const previous = answersInFlight.get(write.conversation.id);
    if (!previous?.signal.aborted || !isConversationBusy(error)) throw error;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOPPED_ANSWER_WAIT_MS);
    });
    await Promise.race([previous.stored, timeout]);
    clearTimeout(timer);
    await storeQuestion(db, write);
  }
}

/** 404 for a regenerate whose message id is not one of the conversation's questions. */
function questionNotFound(messageId: string): AppError {
  return new AppError(
    404,
    "not_found",
    `The conversation has no question with id "${messageId}", so no answer was regenerated. ` +
      'Send the id of a stored question to replace its answer, or send a new question with trigger "submit-message".',
    { field: "message", reason: "chat_question_not_found" },
  );
}

/** Ids and timing that `storeQuestion` needs besides the request. */
interface QuestionWrite {
  conversation: ChatConversation;
  request: ChatRequest;
  question: string;
  isNew: boolean;
  /** Id of the answer: its placeholder is stored with the question. */
  answerId: string;
  answerExpiryMs: number;
}

/**
 * Store the question with a placeholder of its answer, before the model responds. The placeholder
 * marks the answer in flight until the answer replaces it, and each conversation has at most one.
 * A new conversation is inserted with both.
 *
 * In an existing conversation, the conversation's row stays locked until the transaction ends, so
 * concurrent requests check and write one after another and only the first starts an answer. The
 * write is a 409 when another answer is in flight, when a regenerate would delete a later
 * question, and when a new question reuses the id of a stored message. A regenerate whose id is
 * not one of the conversation's questions is a 404. Only a regenerate may replace a stored
 * question, and it also drops the answers after it.
 */
async function storeQuestion(db: Db, write: QuestionWrite): Promise<void> {
  const { conversation, request } = write;
  const message = {
    conversationId: conversation.id,
    id: request.message.id,
    role: "user" as const,
    parts: [{ type: "text", text: write.question }],
  };
  const placeholder = {
    conversationId: conversation.id,
    id: write.answerId,
    role: "assistant" as const,
    parts: [],
    metadata: { ...PENDING_ANSWER_METADATA },
  };
  if (write.isNew) {
    await db.transaction(async (tx) => {
      await saveConversation(tx, conversation);
      await upsertChatMessage(tx, message);
      await upsertChatMessage(tx, placeholder);
    });
    return;
  }
  await db.transaction(async (tx) => {
    const scope = { conversationId: conversation.id };
    if (!(await lockConversation(tx, scope))) throw notFound("conversation");
    if (await hasAnswerInFlight(tx, { ...scope, expiryMs: write.answerExpiryMs })) throw conversationBusy();
    // A placeholder that is older than the expiry was left by a server that stopped mid-answer.
    await failExpiredAnswers(tx, { ...scope, expiryMs: write.answerExpiryMs });

    if (request.trigger === "regenerate-message") {
      const role = await getChatMessageRole(tx, { ...scope, messageId: request.message.id });
      if (role !== "user") throw questionNotFound(request.message.id);
      const later = await countQuestionsAfter(tx, { ...scope, messageId: request.message.id });
      if (later > 0) {
        throw conflict(
          "This conversation has questions after this one, and regenerating its answer would delete them, so nothing was changed. Reload the conversation to see them, then ask again.",
          { field: "message", reason: "chat_conversation_changed" },
        );
      }
      await upsertChatMessage(tx, message);
      await deleteMessagesAfter(tx, { ...scope, messageId: request.message.id });
    } else if (!(await insertChatMessageIfNew(tx, message))) {
      // The insert is the check, so two requests with the same id cannot both pass it.
      throw conflict(
        `The conversation already has a message with id "${request.message.id}", so nothing was changed. ` +
          'Send the new question with a new message id. To replace that question\'s answer, send it with trigger "regenerate-message".',
        { field: "message", reason: "chat_message_id_taken" },
      );
    }
    await upsertChatMessage(tx, placeholder);
    await touchConversation(tx, scope);
  });
}

/**
 * Reject a regenerate without a conversation before anything is stored, because the question whose
 * answer it replaces can only be found in one.
 */
function checkRegenerateTarget(request: ChatRequest): void {
  if (request.trigger !== "regenerate-message" || request.conversationId) return;
  throw badRequest(
    'Regenerating an answer needs "conversationId": send the id of the conversation that contains the question, ' +
      'or send a new question with trigger "submit-message".',
    { field: "conversationId", reason: "chat_regenerate_without_conversation" },
  );
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
  checkRegenerateTarget(request);
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
  const write: QuestionWrite = {
    conversation,
    request,
    question,
    isNew,
    answerId: generateId(),
    answerExpiryMs: deps.settings.answerExpiryMs ?? DEFAULT_ANSWER_EXPIRY_MS,
  };
  if (!isNew) await storeQuestionAfterStop(deps.db, write);
  const markStored = trackAnswer(conversation.id, params.signal);
  let prompt: ChatPrompt;
  try {
    prompt = await buildChatPrompt(deps, { conversation, request, question, isNew, signal: params.signal, log });
  } catch (error) {
    if (params.signal.aborted) await storeStoppedAnswer(deps, { write, log });
    else if (!isNew) await releaseAnswer(deps.db, { write, log });
    markStored();
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

  const storeNewConversation = isNew ? () => storeQuestion(deps.db, write) : undefined;
  const stream = createAnswerStream(deps, {
    conversation,
    request,
    answerId: write.answerId,
    prompt,
    storeNewConversation,
    signal: params.signal,
    markStored,
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
async function storeStoppedAnswer(deps: ChatDeps, params: { write: QuestionWrite; log: Logger }): Promise<void> {
  const { conversation } = params.write;
  try {
    if (params.write.isNew) await storeQuestion(deps.db, params.write);
    await storeAnswer(deps.db, {
      conversationId: conversation.id,
      id: params.write.answerId,
      parts: [],
      metadata: { aborted: true },
      log: params.log,
    });
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
 * Delete the placeholder of an answer that failed before its stream started, so the conversation
 * takes questions again. The question stays stored without an answer, and the request ends with
 * the error.
 */
async function releaseAnswer(db: Db, params: { write: QuestionWrite; log: Logger }): Promise<void> {
  try {
    await deleteChatMessage(db, { conversationId: params.write.conversation.id, id: params.write.answerId });
  } catch (error) {
    // The placeholder then keeps the conversation busy until it expires (`ChatSettings.answerExpiryMs`).
    params.log.error(
      { err: error, answerId: params.write.answerId },
      "deleting the placeholder of a failed chat answer failed",
    );
  }
}

/**
 * Replace the answer's placeholder with the answer, and touch the conversation. Nothing is written
 * when the placeholder is gone: its conversation was deleted, or its question was regenerated
 * after the placeholder expired.
 */
async function storeAnswer(
  db: Db,
  params: { conversationId: string; id: string; parts: unknown[]; metadata: Record<string, unknown>; log: Logger },
): Promise<void> {
  const stored = await updateChatAnswer(db, {
    conversationId: params.conversationId,
    id: params.id,
    parts: params.parts,
    metadata: params.metadata,
  });
  if (!stored) {
    const deleted = !(await conversationExists(db, { conversationId: params.conversationId }));
    if (deleted) params.log.info("chat conversation was deleted before its answer could be stored");
    else
      params.log.warn(
        { answerId: params.id },
        "chat answer placeholder was replaced before the answer ended; the answer was dropped",
      );
    return;
  }
  await touchConversation(db, { conversationId: params.conversationId });
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
    /** Id of the answer, whose placeholder the answer replaces when it ends. */
    answerId: string;
    prompt: ChatPrompt;
    /** Writes a new conversation and its question. The answer is stored after it, and not at all if it fails. */
    storeNewConversation?: () => Promise<void>;
    signal: AbortSignal;
    /** Called once the answer is stored, or will not be. */
    markStored: () => void;
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
  const assistantId = params.answerId;
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
      if (storeFailure.signal.aborted) {
        params.markStored();
        return;
      }
      try {
        await storeAnswer(deps.db, {
          conversationId: conversation.id,
          id: assistantId,
          parts: responseMessage.parts,
          metadata: JSON.parse(JSON.stringify(metadata)),
          log,
        });
      } catch (error) {
        await logStoreFailure(deps.db, {
          conversationId: conversation.id,
          error,
          message: "storing the chat answer failed",
          log,
        });
      } finally {
        params.markStored();
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
