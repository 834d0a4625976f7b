import { truncateText } from "@/lib/text";
import { blockRecords, type DataBlock, extractDataBlocks, isRecord, stripDataBlocks } from "./blocks";
import { generateChatAnswer } from "./chat";
import { readQuestion } from "./chat-context";
import { createSchemaInstance } from "./schema-instance";
import type { Language } from "./task-phrases";
import { generateFeedbackSummary, generateItemSuggestions, generateProposals } from "./tasks";
import { detectLanguage } from "./text";

export interface ChatRequestBody {
  model?: string;
  messages?: Array<{ role?: string; content?: unknown }>;
  response_format?: { type?: string; json_schema?: { name?: string; schema?: unknown } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
}

export interface GeneratedContent {
  text: string;
  responseFormat: "json_schema" | "json_object" | "text";
  schemaName?: string;
}

/** Return the text of a message, whether `content` is a string or an array of parts. */
export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
    .filter(Boolean)
    .join("\n");
}

/** Join the text of every message, for fault rules, token counts and seeds. */
export function promptText(body: ChatRequestBody): string {
  return (body.messages ?? []).map((message) => messageText(message.content)).join("\n");
}

type TaskGenerator = (blocks: readonly DataBlock[], seed: number, language: Language) => unknown;

const taskGenerators: Record<string, TaskGenerator> = {
  prioritization_proposals: generateProposals,
  feedback_summary: (blocks, _seed, language) => generateFeedbackSummary(blocks, language),
  item_suggestions: (blocks, _seed, language) => generateItemSuggestions(blocks, language),
};

export function generateContent(body: ChatRequestBody, seed: number): GeneratedContent {
  const messages = body.messages ?? [];
  const text = promptText(body);
  const blocks = extractDataBlocks(text);
  // The instructions around the data blocks are in the prompt's language; the data may not be.
  const language = detectLanguage(stripDataBlocks(text));
  const format = body.response_format?.type;

  if (format === "json_schema") {
    const name = body.response_format?.json_schema?.name;
    const generator = name ? taskGenerators[name] : undefined;
    const value = generator
      ? generator(blocks, seed, language)
      : createSchemaInstance(body.response_format?.json_schema?.schema);
    return { text: JSON.stringify(value), responseFormat: "json_schema", schemaName: name };
  }
  if (format === "json_object") {
    const name = detectTask(blocks);
    const generator = name ? taskGenerators[name] : undefined;
    const value = generator ? generator(blocks, seed, language) : { answer: answerChat(messages, blocks) };
    return { text: JSON.stringify(value), responseFormat: "json_object", schemaName: name };
  }
  return { text: answerChat(messages, blocks), responseFormat: "text" };
}

/** In JSON mode no schema name is sent, so the data blocks tell which task the prompt is. */
function detectTask(blocks: readonly DataBlock[]): string | undefined {
  const tags = new Set(blocks.map((block) => block.tag));
  if (tags.has("backlog_items")) return "prioritization_proposals";
  if (tags.has("existing_items") && tags.has("feedback")) return "item_suggestions";
  if (tags.has("feedback")) return "feedback_summary";
  return undefined;
}

function answerChat(messages: NonNullable<ChatRequestBody["messages"]>, blocks: readonly DataBlock[]): string {
  const systemText = messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map((message) => messageText(message.content))
    .join("\n");
  const lastUser = [...messages].reverse().find((message) => message.role === "user");
  const question = readQuestion(messageText(lastUser?.content));

  if (blocks.some((block) => block.tag === "ranking")) return generateChatAnswer(blocks, question, systemText);
  const dataBlocks = blocks.filter((block) => block.tag !== "question");
  if (dataBlocks.length > 0) {
    const counts = dataBlocks.map(
      (block) => `${blockRecords([block], block.tag).length} ${block.tag.replace(/_/g, " ")}`,
    );
    return `This is a simulated answer. The prompt contains ${counts.join(", ")}.`;
  }
  return `This is a simulated answer to "${truncateText(question || "an empty message", 120)}".`;
}
