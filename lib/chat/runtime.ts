import { getLanguageModel } from "@/lib/ai";
import { getEnv } from "@/lib/env";
import { getKnowledgeDeps } from "@/lib/knowledge/runtime";
import { logger } from "@/lib/logger";
import { renderPrompt } from "@/lib/prompts/render";
import type { ChatDeps, ChatSettings } from "./respond";

export function readChatSettings(): ChatSettings {
  const env = getEnv();
  return {
    rankingItems: env.CHAT_RANKING_ITEMS,
    historyMessages: env.CHAT_HISTORY_MESSAGES,
    maxQuestionChars: env.CHAT_MAX_QUESTION_CHARS,
    firstTokenTimeoutMs: env.CHAT_FIRST_TOKEN_TIMEOUT_MS,
    streamIntervalMs: env.CHAT_STREAM_INTERVAL_MS,
    // The retrieval's embedding call and the answer's chat completion each end within the
    // gateway's call deadline, and the first-token limit runs inside the second one. A minute more
    // covers the database writes (see `DEFAULT_ANSWER_EXPIRY_MS`).
    answerExpiryMs: 2 * env.MODEL_TIMEOUT_MS + 60_000,
  };
}

/** Build the process-wide chat dependencies: the app's database, gateway, knowledge base and prompt cache. */
export async function getChatDeps(): Promise<ChatDeps> {
  const knowledge = await getKnowledgeDeps();
  return {
    db: knowledge.db,
    knowledge,
    getLanguageModel,
    renderPrompt: (request) => renderPrompt(request),
    settings: readChatSettings(),
    log: logger.child({ component: "chat" }),
  };
}
