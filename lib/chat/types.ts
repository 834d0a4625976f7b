import type { UIMessage } from "ai";

/**
 * Chat types shared by the route, the stored messages and the browser. This module must stay free
 * of server imports, because client components import it.
 */

/** One numbered source given to the model, as the browser shows it. */
export interface ChatSource {
  /** The number the answer cites, `[n]`. */
  n: number;
  chunkId: string;
  documentId: string;
  title: string;
  externalId: string | null;
  kind: string;
  heading: string | null;
  text: string;
  sourceUrl: string | null;
  /** Cosine similarity to the question, from 0 to 1. */
  similarity: number;
  /** Set when the document was deleted after the answer; its text and link are then left out. */
  deleted?: boolean;
}

export type ChatDataParts = {
  sources: { sources: ChatSource[] };
  /**
   * `none` when retrieval found no chunk above the similarity threshold, `unavailable` when the
   * embedding model failed and the answer uses the ranking only.
   */
  coverage: { status: "found" | "none" | "unavailable" };
};

/**
 * Why an answer failed: `content_filter` when the provider's filter blocked the question or the
 * answer, `configuration` when the model settings or credentials are wrong, `timeout` when the
 * model was too slow, and `failed` for any other error.
 */
export const chatAnswerErrorKinds = ["failed", "timeout", "content_filter", "configuration"] as const;
export type ChatAnswerErrorKind = (typeof chatAnswerErrorKinds)[number];

export interface ChatMessageMetadata {
  conversationId?: string;
  /** ISO 8601 time of the conversation's ranking snapshot, sent at the start of each answer. */
  rankingTakenAt?: string;
  /** ISO 8601 time the message was stored. */
  createdAt?: string;
  /** Cited numbers that were not among the sources and were removed from the answer. */
  removedCitations?: number[];
  /** The answer was stopped before the model finished. */
  aborted?: boolean;
  /** The answer failed, so its text is missing or cut short. */
  error?: ChatAnswerErrorKind;
  /** The model stopped at its output token limit, so the answer ends early. */
  truncated?: boolean;
}

export type ChatUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>;

/** The text of a message's text parts, joined. */
export function messageText(message: Pick<ChatUIMessage, "parts">): string {
  return message.parts
    .flatMap((part) => (part.type === "text" ? [part.text] : []))
    .join("")
    .trim();
}

/** The sources streamed with an answer; empty when there are none. */
export function messageSources(message: Pick<ChatUIMessage, "parts">): ChatSource[] {
  for (const part of message.parts) {
    if (part.type === "data-sources") return part.data.sources;
  }
  return [];
}
