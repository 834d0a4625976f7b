import { and, asc, count, desc, eq, getTableColumns, gt, sql } from "drizzle-orm";
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
