import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import {
  type ConversationOwner,
  type ConversationSummary,
  deleteConversation,
  getConversation,
  insertConversation,
  listChatMessages,
  listConversations,
  PENDING_ANSWER_METADATA,
  renameConversation,
} from "@/db/queries/chat";
import { listLiveDocumentIds } from "@/db/queries/documents";
import type { ChatConversation, ChatMessageRow } from "@/db/schema";
import { getBacklogRanking } from "@/lib/backlog/view";
import { notFound } from "@/lib/errors";
import { createRankingSnapshot, type RankingSnapshot } from "@/lib/prioritization/changes";
import { strictObjectWithFieldList } from "@/lib/validation";
import type { ChatUIMessage } from "./types";

/** Bidirectional embedding, override and isolate controls, which can make a title read as another. */
const DIRECTION_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

export const conversationTitleSchema = z
  .string()
  .trim()
  .min(1, "expected a title")
  .max(120)
  .refine((title) => title.search(DIRECTION_CONTROLS) === -1, "contains a text direction control character; remove it");
/** Body of a conversation rename. An unknown key is a 400, so a misspelt field is not dropped. */
export const renameConversationSchema = strictObjectWithFieldList({ title: conversationTitleSchema });

/** Titles of new conversations: the first question, cut at a word near this many characters. */
const TITLE_LENGTH = 80;

/** Make a conversation title from its first question, without direction controls (see the title schema). */
export function titleFromQuestion(question: string): string {
  const flat = question.replace(DIRECTION_CONTROLS, "").replace(/\s+/g, " ").trim();
  if (flat.length <= TITLE_LENGTH) return flat;
  const cut = flat.slice(0, TITLE_LENGTH);
  const space = cut.lastIndexOf(" ");
  return `${space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}

/** Freeze the workspace's current ranking as JSON, for a conversation to keep. */
export async function takeRankingSnapshot(db: Db, params: { workspaceId: string }): Promise<RankingSnapshot> {
  // A snapshot contains scores and inputs, not the proposals waiting for review.
  const ranking = await getBacklogRanking(db, { workspaceId: params.workspaceId, withPending: false });
  return createRankingSnapshot(ranking, new Date());
}

/**
 * Build a new conversation on the current ranking without storing it, so the chat can retrieve
 * sources while `saveConversation` writes it. Every answer in the conversation uses this snapshot.
 */
export async function prepareConversation(
  db: Db,
  params: { workspaceId: string; userId: string; language: string; question: string },
): Promise<ChatConversation> {
  const rankingSnapshot = await takeRankingSnapshot(db, params);
  const now = new Date();
  return {
    id: randomUUID(),
    workspaceId: params.workspaceId,
    userId: params.userId,
    title: titleFromQuestion(params.question),
    language: params.language,
    rankingSnapshot,
    createdAt: now,
    updatedAt: now,
  };
}

export async function saveConversation(db: Db, conversation: ChatConversation): Promise<ChatConversation> {
  return insertConversation(db, conversation);
}

/** Start and store a conversation on the current ranking. */
export async function startConversation(
  db: Db,
  params: { workspaceId: string; userId: string; language: string; question: string },
): Promise<ChatConversation> {
  return saveConversation(db, await prepareConversation(db, params));
}

/** Load the user's conversation; another user's, another workspace's or a malformed id is a 404. */
export async function getConversationOrThrow(db: Db, params: ConversationOwner): Promise<ChatConversation> {
  const found = z.uuid().safeParse(params.conversationId).success ? await getConversation(db, params) : undefined;
  if (!found) throw notFound("conversation");
  return found;
}

export async function renameConversationOrThrow(
  db: Db,
  params: ConversationOwner & { title: string },
): Promise<ChatConversation> {
  await getConversationOrThrow(db, params);
  const renamed = await renameConversation(db, params);
  if (!renamed) throw notFound("conversation");
  return renamed;
}

export async function deleteConversationOrThrow(db: Db, params: ConversationOwner): Promise<void> {
  await getConversationOrThrow(db, params);
  if (!(await deleteConversation(db, params))) throw notFound("conversation");
}

export async function listConversationsForUser(
  db: Db,
  params: { workspaceId: string; userId: string; limit?: number },
): Promise<ConversationSummary[]> {
  return listConversations(db, { ...params, limit: params.limit ?? 100 });
}

/**
 * Load the stored messages as AI SDK UI messages, oldest first, for `useChat`'s initial messages.
 * Placeholders of answers still being written are left out, so their question shows without an
 * answer until the answer is stored.
 */
export async function loadConversationMessages(
  db: Db,
  params: { conversationId: string; workspaceId: string },
): Promise<ChatUIMessage[]> {
  const rows = await listChatMessages(db, params);
  const messages: ChatUIMessage[] = rows
    .filter((row) => !isPendingAnswerRow(row))
    .map((row) => ({
      id: row.id,
      role: row.role,
      parts: row.parts as ChatUIMessage["parts"],
      metadata: { ...(row.metadata ?? {}), conversationId: row.conversationId, createdAt: row.createdAt.toISOString() },
    }));
  return markDeletedSources(db, params.workspaceId, messages);
}

/**
 * Mark the sources whose document was deleted since the answer, and drop their text and link:
 * a deleted document is neither shown nor opened again.
 */
async function markDeletedSources(db: Db, workspaceId: string, messages: ChatUIMessage[]): Promise<ChatUIMessage[]> {
  const cited = messages.flatMap((message) =>
    message.parts.flatMap((part) => (part.type === "data-sources" ? part.data.sources.map((s) => s.documentId) : [])),
  );
  if (cited.length === 0) return messages;
  const live = await listLiveDocumentIds(db, { workspaceId, ids: [...new Set(cited)] });

  return messages.map((message) => ({
    ...message,
    parts: message.parts.map((part) => {
      if (part.type !== "data-sources") return part;
      const sources = part.data.sources.map((source) =>
        live.has(source.documentId) ? source : { ...source, text: "", heading: null, sourceUrl: null, deleted: true },
      );
      return { ...part, data: { ...part.data, sources } };
    }),
  }));
}

/** Tell whether a stored message is the placeholder of an answer that was never replaced. */
function isPendingAnswerRow(row: ChatMessageRow): boolean {
  return row.role === "assistant" && row.metadata?.pending === PENDING_ANSWER_METADATA.pending;
}

export function readRankingSnapshot(conversation: ChatConversation): RankingSnapshot {
  return conversation.rankingSnapshot as RankingSnapshot;
}
