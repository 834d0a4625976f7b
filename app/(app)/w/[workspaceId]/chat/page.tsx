import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ChatPanel } from "@/components/chat/chat-panel";
import { ScoreBreakdown } from "@/components/chat/score-breakdown";
import { requirePageCapability, requirePageWorkspace } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { toItemBreakdowns } from "@/lib/chat/breakdown";
import { findNamedItems } from "@/lib/chat/context";
import {
  getConversationOrThrow,
  listConversationsForUser,
  loadConversationMessages,
  readRankingSnapshot,
  takeRankingSnapshot,
} from "@/lib/chat/conversations";
import { readChatSettings } from "@/lib/chat/runtime";
import { parseFocusItems } from "@/lib/chat/urls";
import { isAppError } from "@/lib/errors";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("chat"))("title") };
}

type SearchParams = Record<string, string | string[] | undefined>;

async function loadConversation(params: { conversationId: string; workspaceId: string; userId: string }) {
  const db = await getDb();
  try {
    const conversation = await getConversationOrThrow(db, params);
    return {
      conversation,
      messages: await loadConversationMessages(db, {
        conversationId: conversation.id,
        workspaceId: conversation.workspaceId,
      }),
    };
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}

export default async function ChatPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { workspace } = await requirePageWorkspace((await params).workspaceId);
  const actor = await requirePageCapability("runAi");
  const query = await searchParams;
  const t = await getTranslations("chat");
  const db = await getDb();

  const conversationId = typeof query.c === "string" ? query.c : null;
  const loaded = conversationId
    ? await loadConversation({ conversationId, workspaceId: workspace.id, userId: actor.userId })
    : null;
  const conversations = await listConversationsForUser(db, { workspaceId: workspace.id, userId: actor.userId });
  const { maxQuestionChars } = readChatSettings();
  const question =
    !loaded && typeof query.q === "string" && query.q.trim()
      ? Array.from(query.q.trim()).slice(0, maxQuestionChars).join("")
      : null;
  const focusItems = parseFocusItems(query.items);

  const snapshot = loaded
    ? readRankingSnapshot(loaded.conversation)
    : focusItems.length > 0
      ? await takeRankingSnapshot(db, { workspaceId: workspace.id })
      : null;
  const breakdown = snapshot ? toItemBreakdowns(snapshot, findNamedItems(snapshot, "", focusItems)) : [];

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <div className="flex flex-col gap-4">
        <ScoreBreakdown items={breakdown} />
        <ChatPanel
          key={conversationId ?? `new:${question ?? ""}`}
          workspaceId={workspace.id}
          conversationId={loaded?.conversation.id ?? null}
          conversations={conversations.map((item) => ({ id: item.id, title: item.title }))}
          initialMessages={loaded?.messages ?? []}
          initialQuestion={question}
          maxQuestionChars={maxQuestionChars}
          rankingTakenAt={loaded ? (snapshot?.takenAt ?? null) : null}
          focusItems={focusItems}
        />
      </div>
    </>
  );
}
