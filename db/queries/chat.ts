import { and, asc, count, desc, eq, getTableColumns, gt, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  type ChatConversation,
  type ChatMessageRole,
  type ChatMessageRow,
  chatConversation,
  chatMessage,
} from "@/db/schema";

export interface ConversationOwner {
  conversationId: string;
  workspaceId: string;
  userId: string;
}

const owned = (params: ConversationOwner) =>
  and(
    eq(chatConversation.id, params.conversationId),
    eq(chatConversation.workspaceId, params.workspaceId),
    eq(chatConversation.userId, params.userId),
  );

export async function insertConversation(
  db: Db,
  params: {
    id?: string;
    workspaceId: string;
    userId: string;
    title: string;
    language: string;
    rankingSnapshot: unknown;
    createdAt?: Date;
    updatedAt?: Date;
  },
): Promise<ChatConversation> {
  // The snapshot is the largest value of the row and the caller already has it: not read back.
  const { rankingSnapshot: _snapshot, ...columns } = getTableColumns(chatConversation);
  const [row] = await db.insert(chatConversation).values(params).returning(columns);
  if (!row) throw new Error("insert into chat_conversation returned no row");
  return { ...row, rankingSnapshot: params.rankingSnapshot };
}

/** Return the conversation if it belongs to this user and workspace; otherwise undefined. */
export async function getConversation(db: Db, params: ConversationOwner): Promise<ChatConversation | undefined> {
  const [row] = await db.select().from(chatConversation).where(owned(params));
  return row;
}

export type ConversationSummary = Pick<ChatConversation, "id" | "title" | "language" | "createdAt" | "updatedAt">;

/** List the user's conversations in the workspace, most recently active first. */
export async function listConversations(
  db: Db,
  params: { workspaceId: string; userId: string; limit: number },
): Promise<ConversationSummary[]> {
  return db
    .select({
      id: chatConversation.id,
      title: chatConversation.title,
      language: chatConversation.language,
      createdAt: chatConversation.createdAt,
      updatedAt: chatConversation.updatedAt,
    })
    .from(chatConversation)
    .where(and(eq(chatConversation.workspaceId, params.workspaceId), eq(chatConversation.userId, params.userId)))
    .orderBy(desc(chatConversation.updatedAt), desc(chatConversation.id))
    .limit(params.limit);
}

export async function renameConversation(
  db: Db,
  params: ConversationOwner & { title: string },
): Promise<ChatConversation | undefined> {
  const [row] = await db
    .update(chatConversation)
    .set({ title: params.title, updatedAt: sql`now()` })
    .where(owned(params))
    .returning();
  return row;
}

/** Delete a conversation with its messages; returns false when the user has no such conversation. */
export async function deleteConversation(db: Db, params: ConversationOwner): Promise<boolean> {
  const rows = await db.delete(chatConversation).where(owned(params)).returning({ id: chatConversation.id });
  return rows.length > 0;
}

/** Check whether a conversation with this id exists, in any workspace and for any user. */
export async function conversationExists(db: Db, params: { conversationId: string }): Promise<boolean> {
  const rows = await db
    .select({ id: chatConversation.id })
    .from(chatConversation)
    .where(eq(chatConversation.id, params.conversationId));
  return rows.length > 0;
}

export async function touchConversation(db: Db, params: { conversationId: string }): Promise<void> {
  await db
    .update(chatConversation)
    .set({ updatedAt: sql`now()` })
    .where(eq(chatConversation.id, params.conversationId));
}

export async function listChatMessages(db: Db, params: { conversationId: string }): Promise<ChatMessageRow[]> {
  return db
    .select()
    .from(chatMessage)
    .where(eq(chatMessage.conversationId, params.conversationId))
    .orderBy(asc(chatMessage.sequence));
}

/** A message to store; its id is unique within its conversation. */
interface NewChatMessage {
  conversationId: string;
  id: string;
  role: ChatMessageRole;
  parts: unknown[];
  metadata?: Record<string, unknown> | null;
}

/**
 * Insert a message unless its conversation already has a message with the same id. Returns false,
 * writing nothing, when the id is taken.
 */
export async function insertChatMessageIfNew(db: Db, params: NewChatMessage): Promise<boolean> {
  const rows = await db
    .insert(chatMessage)
    .values({ ...params, metadata: params.metadata ?? null })
    .onConflictDoNothing({ target: [chatMessage.conversationId, chatMessage.id] })
    .returning({ id: chatMessage.id });
  return rows.length > 0;
}

/** Insert a message, or replace the parts and metadata of the message with the same id. */
export async function upsertChatMessage(db: Db, params: NewChatMessage): Promise<void> {
  await db
    .insert(chatMessage)
    .values({ ...params, metadata: params.metadata ?? null })
    .onConflictDoUpdate({
      target: [chatMessage.conversationId, chatMessage.id],
      set: { parts: params.parts, metadata: params.metadata ?? null },
    });
}

/** Count the questions (user messages) stored after `messageId` in its conversation. */
export async function countQuestionsAfter(
  db: Db,
  params: { conversationId: string; messageId: string },
): Promise<number> {
  const anchor = db
    .select({ sequence: chatMessage.sequence })
    .from(chatMessage)
    .where(and(eq(chatMessage.conversationId, params.conversationId), eq(chatMessage.id, params.messageId)));
  const [row] = await db
    .select({ questions: count() })
    .from(chatMessage)
    .where(
      and(
        eq(chatMessage.conversationId, params.conversationId),
        eq(chatMessage.role, "user"),
        gt(chatMessage.sequence, sql`(${anchor})`),
      ),
    );
  return row?.questions ?? 0;
}

/** Delete the messages stored after `messageId` (regenerating an answer replaces them). */
export async function deleteMessagesAfter(
  db: Db,
  params: { conversationId: string; messageId: string },
): Promise<number> {
  const [anchor] = await db
    .select({ sequence: chatMessage.sequence })
    .from(chatMessage)
    .where(and(eq(chatMessage.conversationId, params.conversationId), eq(chatMessage.id, params.messageId)));
  if (!anchor) return 0;
  const rows = await db
    .delete(chatMessage)
    .where(and(eq(chatMessage.conversationId, params.conversationId), gt(chatMessage.sequence, anchor.sequence)))
    .returning({ id: chatMessage.id });
  return rows.length;
}

/**
 * Metadata of an answer placeholder. The placeholder is stored with its question and replaced by
 * the answer when the answer ends, so it marks the conversation's answer in flight.
 */
export const PENDING_ANSWER_METADATA = { pending: true } as const;

const isPendingAnswer = and(
  eq(chatMessage.role, "assistant"),
  sql`${chatMessage.metadata} @> ${JSON.stringify(PENDING_ANSWER_METADATA)}::jsonb`,
);

/** SQL time before which a placeholder counts as abandoned, on the database clock. */
const expiryCutoff = (expiryMs: number) => sql`now() - (${Math.round(expiryMs)}::bigint * interval '1 millisecond')`;

/**
 * Lock the conversation's row until the end of the transaction, so that requests on one
 * conversation decide one after another whether they may start an answer. Returns false when the
 * conversation does not exist.
 */
export async function lockConversation(db: Db, params: { conversationId: string }): Promise<boolean> {
  const rows = await db
    .select({ id: chatConversation.id })
    .from(chatConversation)
    .where(eq(chatConversation.id, params.conversationId))
    .for("update");
  return rows.length > 0;
}

/** Check whether the conversation has an answer placeholder stored less than `expiryMs` ago. */
export async function hasAnswerInFlight(
  db: Db,
  params: { conversationId: string; expiryMs: number },
): Promise<boolean> {
  const rows = await db
    .select({ id: chatMessage.id })
    .from(chatMessage)
    .where(
      and(
        eq(chatMessage.conversationId, params.conversationId),
        isPendingAnswer,
        gt(chatMessage.createdAt, expiryCutoff(params.expiryMs)),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/**
 * Mark the answer placeholders stored `expiryMs` ago or earlier as failed answers. Their server
 * stopped before it could store them. Returns their ids.
 */
export async function failExpiredAnswers(
  db: Db,
  params: { conversationId: string; expiryMs: number },
): Promise<string[]> {
  const rows = await db
    .update(chatMessage)
    .set({ metadata: { error: "failed" } })
    .where(
      and(
        eq(chatMessage.conversationId, params.conversationId),
        isPendingAnswer,
        lte(chatMessage.createdAt, expiryCutoff(params.expiryMs)),
      ),
    )
    .returning({ id: chatMessage.id });
  return rows.map((row) => row.id);
}

/** Return the role of a message of the conversation, or undefined when it has no such message. */
export async function getChatMessageRole(
  db: Db,
  params: { conversationId: string; messageId: string },
): Promise<ChatMessageRole | undefined> {
  const [row] = await db
    .select({ role: chatMessage.role })
    .from(chatMessage)
    .where(and(eq(chatMessage.conversationId, params.conversationId), eq(chatMessage.id, params.messageId)));
  return row?.role;
}

/**
 * Replace the parts and metadata of a stored answer, in place, so the answer keeps the position of
 * its placeholder. Returns false, writing nothing, when the conversation has no answer with this id.
 */
export async function updateChatAnswer(
  db: Db,
  params: { conversationId: string; id: string; parts: unknown[]; metadata: Record<string, unknown> | null },
): Promise<boolean> {
  const rows = await db
    .update(chatMessage)
    .set({ parts: params.parts, metadata: params.metadata })
    .where(
      and(
        eq(chatMessage.conversationId, params.conversationId),
        eq(chatMessage.id, params.id),
        eq(chatMessage.role, "assistant"),
      ),
    )
    .returning({ id: chatMessage.id });
  return rows.length > 0;
}

/** Delete one message of a conversation. */
export async function deleteChatMessage(db: Db, params: { conversationId: string; id: string }): Promise<void> {
  await db
    .delete(chatMessage)
    .where(and(eq(chatMessage.conversationId, params.conversationId), eq(chatMessage.id, params.id)));
}
