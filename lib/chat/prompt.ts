import type { ModelMessage } from "ai";
import { listChatMessages } from "@/db/queries/chat";
import type { ChatConversation } from "@/db/schema";
import { isModelError } from "@/lib/ai";
import { searchKnowledge } from "@/lib/knowledge/search";
import type { Logger } from "@/lib/logger";
import type { RenderedPrompt } from "@/lib/prompts/render";
import {
  buildPromptRanking,
  buildPromptSources,
  findNamedItems,
  toChatSources,
  toDataBlockJson,
  toQuestionBlockText,
} from "./context";
import { readRankingSnapshot } from "./conversations";
import type { ChatDeps, ChatRequest } from "./respond";
import type { ChatDataParts, ChatSource } from "./types";
import { messageText } from "./types";

export interface ChatPrompt {
  rendered: RenderedPrompt;
  system: string;
  /** Earlier turns as plain text, then the rendered question with its data blocks. */
  messages: ModelMessage[];
  sources: ChatSource[];
  coverage: ChatDataParts["coverage"]["status"];
}

/** Return the language's name in that language (`English`, `français`), which the explainer prompt expects. */
export function languageName(language: string): string {
  try {
    return new Intl.DisplayNames([language], { type: "language" }).of(language) ?? language;
  } catch {
    return language;
  }
}

/** Earlier turns before the current question, newest `limit` kept, as plain text. */
async function loadHistory(
  deps: ChatDeps,
  conversationId: string,
  currentId: string,
  limit: number,
): Promise<ModelMessage[]> {
  if (limit === 0) return [];
  const rows = await listChatMessages(deps.db, { conversationId });
  const earlier = rows.slice(
    0,
    rows.findIndex((row) => row.id === currentId),
  );
  return earlier
    .slice(-limit)
    .map((row) => ({ role: row.role, content: messageText({ parts: row.parts as never }) }))
    .filter((message) => message.content.length > 0);
}

/**
 * Retrieve sources and render the `explainer` prompt. The ranking is the conversation's snapshot:
 * its top items plus the items the question names. The retrieval query adds the named items'
 * titles to the question, so "why is A02 first?" finds the feedback about A02's topic.
 */
export async function buildChatPrompt(
  deps: ChatDeps,
  params: {
    conversation: ChatConversation;
    request: ChatRequest;
    question: string;
    isNew: boolean;
    signal: AbortSignal;
    log: Logger;
  },
): Promise<ChatPrompt> {
  const { conversation, request, question } = params;
  const snapshot = readRankingSnapshot(conversation);
  const named = findNamedItems(snapshot, question, request.focusItems);
  const ranking = buildPromptRanking(snapshot, named, deps.settings.rankingItems);

  let sources: ChatSource[] = [];
  let coverage: ChatPrompt["coverage"] = "none";
  try {
    const query = [question, ...named.map((item) => item.title)].join("\n");
    sources = toChatSources(
      await searchKnowledge(deps.knowledge, { workspaceId: conversation.workspaceId, query, signal: params.signal }),
    );
    coverage = sources.length > 0 ? "found" : "none";
  } catch (error) {
    // The ranking still explains a lot, so the answer goes on without sources and says so. Any
    // error counts, not only a `ModelError`.
    if (params.signal.aborted) throw error;
    const kind = isModelError(error) ? error.kind : undefined;
    params.log.warn({ err: error, kind }, "knowledge retrieval failed; answering without sources");
    coverage = "unavailable";
  }

  const rendered = deps.renderPrompt({
    key: "explainer",
    language: request.language,
    variables: {
      question: toQuestionBlockText(question),
      ranking: toDataBlockJson(ranking),
      sources: toDataBlockJson(buildPromptSources(sources)),
      language_name: languageName(request.language),
    },
  });
  const history = params.isNew
    ? []
    : await loadHistory(deps, conversation.id, request.message.id, deps.settings.historyMessages);
  const [system, user] = rendered.messages;
  return { rendered, system: system.content, messages: [...history, user], sources, coverage };
}
