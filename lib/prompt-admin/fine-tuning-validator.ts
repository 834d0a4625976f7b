import type { z } from "zod";
import { validateOutput } from "@/lib/pipeline/validate";
import { splitLines } from "@/lib/prompts/template";
import { countMessageTokens } from "./tokens";

/**
 * Validator of chat fine-tuning files (JSON Lines, one `{ "messages": [...] }` example per line),
 * for exported files and uploaded ones. Every problem names its 1-based line number, so an editor
 * can find it in the file.
 */

export type FineTuningIssueCode =
  | "empty_file"
  | "empty_line"
  | "invalid_json"
  | "not_an_object"
  | "missing_messages"
  | "invalid_message"
  | "invalid_role"
  | "role_order"
  | "empty_content"
  | "no_assistant_last"
  | "assistant_not_json"
  | "assistant_schema"
  | "example_too_long"
  | "file_too_long"
  | "too_few_examples";

export interface FineTuningIssue {
  /** 1-based line number; null for problems of the whole file. */
  line: number | null;
  code: FineTuningIssueCode;
  message: string;
  /** Index of the message within the example, from 0, when one message is at fault. */
  messageIndex?: number;
  /** The parser's or schema's own words, for invalid JSON and schema mismatches. */
  detail?: string;
}

export interface FineTuningValidation {
  ok: boolean;
  exampleCount: number;
  /** Estimated tokens of all examples (o200k_base, with chat framing). */
  totalTokens: number;
  /** Tokens of the largest example. */
  largestExampleTokens: number;
  limits: { exampleTokens: number; totalTokens: number | null };
  /** Tokens of each example by line, up to MAX_LISTED_EXAMPLES lines. */
  examples: Array<{ line: number; tokens: number; valid: boolean }>;
  /** Problems that make the file unusable, up to MAX_LISTED_ISSUES; `issueCount` counts them all. */
  errors: FineTuningIssue[];
  issueCount: number;
  /** Problems a provider may still accept, such as fewer than 10 examples. */
  warnings: FineTuningIssue[];
}

export interface FineTuningValidationOptions {
  /** Output schema the assistant messages must match; null for free-text prompts. */
  schema: z.ZodType | null;
  maxExampleTokens: number;
  maxTotalTokens?: number | null;
}

const MAX_LISTED_ISSUES = 500;
const MAX_LISTED_EXAMPLES = 10_000;
/** OpenAI rejects fine-tuning files with fewer examples than this. */
export const MIN_EXAMPLES = 10;

interface Message {
  role: string;
  content: string;
}

export function validateFineTuningFile(text: string, options: FineTuningValidationOptions): FineTuningValidation {
  const errors: FineTuningIssue[] = [];
  const warnings: FineTuningIssue[] = [];
  const examples: FineTuningValidation["examples"] = [];
  let issueCount = 0;
  const report = (issue: FineTuningIssue) => {
    issueCount++;
    if (errors.length < MAX_LISTED_ISSUES) errors.push(issue);
  };

  const lines = splitLines(text.replace(/^\uFEFF/, ""));
  // One line break at the end of the file is the JSON Lines convention, not an empty example.
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  let exampleCount = 0;
  let totalTokens = 0;
  let largestExampleTokens = 0;

  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    if (raw.trim() === "") {
      if (lines.length > 1 || raw !== "") report({ line, code: "empty_line", message: `Line ${line} is empty.` });
      continue;
    }
    exampleCount++;
    const checked = checkExample(raw, line, options.schema);
    for (const issue of checked.issues) report(issue);
    if (!checked.messages) continue;

    const tokens = countMessageTokens(checked.messages);
    totalTokens += tokens;
    largestExampleTokens = Math.max(largestExampleTokens, tokens);
    if (tokens > options.maxExampleTokens) {
      report({
        line,
        code: "example_too_long",
        message: `Line ${line} has about ${tokens} tokens; the limit per example is ${options.maxExampleTokens}.`,
      });
    }
    if (examples.length < MAX_LISTED_EXAMPLES)
      examples.push({ line, tokens, valid: checked.issues.length === 0 && tokens <= options.maxExampleTokens });
  }

  if (exampleCount === 0) report({ line: null, code: "empty_file", message: "The file has no examples." });
  const maxTotal = options.maxTotalTokens ?? null;
  if (maxTotal !== null && totalTokens > maxTotal) {
    report({
      line: null,
      code: "file_too_long",
      message: `The file has about ${totalTokens} tokens; the limit is ${maxTotal}.`,
    });
  }
  if (exampleCount > 0 && exampleCount < MIN_EXAMPLES) {
    warnings.push({
      line: null,
      code: "too_few_examples",
      message: `The file has ${exampleCount} examples; OpenAI requires at least ${MIN_EXAMPLES}.`,
    });
  }

  return {
    ok: issueCount === 0,
    exampleCount,
    totalTokens,
    largestExampleTokens,
    limits: { exampleTokens: options.maxExampleTokens, totalTokens: maxTotal },
    examples,
    errors,
    issueCount,
    warnings,
  };
}

/** Check one line; returns its messages when their shape allows counting tokens. */
function checkExample(
  raw: string,
  line: number,
  schema: z.ZodType | null,
): { issues: FineTuningIssue[]; messages?: Message[] } {
  let example: unknown;
  try {
    example = JSON.parse(raw);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { issues: [{ line, code: "invalid_json", detail, message: `Line ${line} is not valid JSON: ${detail}.` }] };
  }
  if (example === null || typeof example !== "object" || Array.isArray(example)) {
    return { issues: [{ line, code: "not_an_object", message: `Line ${line} is not a JSON object.` }] };
  }
  const messages = (example as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return {
      issues: [{ line, code: "missing_messages", message: `Line ${line} has no "messages" array with messages.` }],
    };
  }

  const issues: FineTuningIssue[] = [];
  const valid: Message[] = [];
  for (const [messageIndex, message] of messages.entries()) {
    const problem = checkMessage(message, line, messageIndex);
    if (problem) issues.push(problem);
    else valid.push(message as Message);
  }
  if (issues.length > 0) return { issues };

  issues.push(...checkRoleOrder(valid, line));
  const last = valid.at(-1);
  if (last?.role === "assistant" && schema)
    issues.push(...checkAssistantOutput(last.content, line, valid.length - 1, schema));
  return { issues, messages: valid };
}

function checkMessage(message: unknown, line: number, messageIndex: number): FineTuningIssue | undefined {
  const where = `Line ${line}, message ${messageIndex + 1}`;
  if (message === null || typeof message !== "object" || Array.isArray(message)) {
    return { line, messageIndex, code: "invalid_message", message: `${where} is not an object with role and content.` };
  }
  const { role, content } = message as { role?: unknown; content?: unknown };
  if (role !== "system" && role !== "user" && role !== "assistant") {
    return {
      line,
      messageIndex,
      code: "invalid_role",
      message: `${where} has the role ${JSON.stringify(role)}; expected system, user or assistant.`,
    };
  }
  if (typeof content !== "string" || content.trim() === "") {
    return { line, messageIndex, code: "empty_content", message: `${where} (${role}) has no text content.` };
  }
  return undefined;
}

/** Check the order of roles: an optional system message, then user and assistant in turn, ending with the assistant. */
function checkRoleOrder(messages: Message[], line: number): FineTuningIssue[] {
  const issues: FineTuningIssue[] = [];
  let expected: "user" | "assistant" = "user";
  for (const [messageIndex, message] of messages.entries()) {
    if (message.role === "system" && messageIndex === 0) continue;
    if (message.role !== expected) {
      const wanted = messageIndex === 0 ? "system or user" : expected;
      issues.push({
        line,
        messageIndex,
        code: "role_order",
        message: `Line ${line}, message ${messageIndex + 1} is ${message.role}; expected ${wanted} at this position.`,
      });
      return issues;
    }
    expected = expected === "user" ? "assistant" : "user";
  }
  if (messages.at(-1)?.role !== "assistant") {
    issues.push({ line, code: "no_assistant_last", message: `Line ${line} does not end with an assistant message.` });
  }
  return issues;
}

function checkAssistantOutput(content: string, line: number, messageIndex: number, schema: z.ZodType) {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return [
      {
        line,
        messageIndex,
        code: "assistant_not_json" as const,
        message: `Line ${line}: the assistant message is not a JSON object, but this prompt's answers must be.`,
      },
    ];
  }
  const validation = validateOutput(schema, value);
  if (validation.ok) return [];
  const summary = validation.issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join("; ");
  return [
    {
      line,
      messageIndex,
      code: "assistant_schema" as const,
      detail: summary,
      message: `Line ${line}: the assistant message does not match the output schema (${summary}).`,
    },
  ];
}
