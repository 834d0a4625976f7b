import { badRequest } from "@/lib/errors";
import type { PromptContent } from "./manifest";
import { parameterSettingsSchema } from "./parameters";
import { parseTemplate, splitLines, type TemplatePlaceholder, variablesOfParts } from "./template";

/** Maximum length of a system text or user template, in characters. */
export const MAX_PROMPT_TEXT_LENGTH = 50_000;

export type PromptTextField = "systemText" | "userTemplate";

export interface PromptIssue {
  field: PromptTextField | "parameters";
  code: "empty" | "too_long" | "invalid_placeholder" | "undeclared_variable" | "unused_variable" | "invalid_parameters";
  message: string;
  line?: number;
  column?: number;
  variable?: string;
}

const fieldLabels: Record<PromptTextField, string> = { systemText: "system prompt", userTemplate: "user template" };

/**
 * Check one language of a prompt against the variables the prompt declares. Texts must not be
 * empty, placeholders must be valid, and the system prompt and user template together must use
 * exactly the declared variables, so that every language of a prompt uses the same set.
 */
export function findPromptIssues(content: PromptContent, declaredVariables: readonly string[]): PromptIssue[] {
  const issues: PromptIssue[] = [];
  const used = new Set<string>();

  for (const field of ["systemText", "userTemplate"] as const) {
    const text = content[field];
    const label = fieldLabels[field];
    if (text.trim() === "") {
      issues.push({ field, code: "empty", message: `The ${label} is empty.` });
      continue;
    }
    if (text.length > MAX_PROMPT_TEXT_LENGTH) {
      issues.push({
        field,
        code: "too_long",
        message: `The ${label} has ${text.length} characters; the maximum is ${MAX_PROMPT_TEXT_LENGTH}.`,
      });
    }

    const parts = parseTemplate(text);
    for (const name of variablesOfParts(parts)) used.add(name);
    for (const part of parts) {
      if (typeof part !== "string" && part.kind === "invalid") issues.push(invalidPlaceholderIssue(field, text, part));
    }
  }

  const declared = new Set(declaredVariables);
  for (const name of used) {
    if (declared.has(name)) continue;
    issues.push({
      field: fieldUsing(content, name),
      code: "undeclared_variable",
      variable: name,
      message: `$${name} is not a declared variable of this prompt; declared: ${formatNames(declaredVariables)}.`,
    });
  }
  for (const name of declaredVariables) {
    if (used.has(name)) continue;
    issues.push({
      field: "userTemplate",
      code: "unused_variable",
      variable: name,
      message: `$${name} is missing: every language of a prompt must use the same variables (${formatNames(declaredVariables)}).`,
    });
  }

  const parameters = parameterSettingsSchema.safeParse(content.parameters);
  if (!parameters.success) {
    const detail = parameters.error.issues.map((issue) => issue.message).join("; ");
    issues.push({ field: "parameters", code: "invalid_parameters", message: `Invalid parameters: ${detail}.` });
  }
  return issues;
}

function invalidPlaceholderIssue(field: PromptTextField, text: string, part: TemplatePlaceholder): PromptIssue {
  const lineText = splitLines(text)[part.line - 1] ?? "";
  const excerpt = Array.from(lineText)
    .slice(part.column - 1, part.column + 11)
    .join("");
  return {
    field,
    code: "invalid_placeholder",
    line: part.line,
    column: part.column,
    message: `Invalid placeholder in the ${fieldLabels[field]} at line ${part.line}, column ${part.column} ("${excerpt}"): write $name or \${name} for a variable, or $$ for a literal $.`,
  };
}

function fieldUsing(content: PromptContent, name: string): PromptTextField {
  return variablesOfParts(parseTemplate(content.systemText)).includes(name) ? "systemText" : "userTemplate";
}

function formatNames(names: readonly string[]): string {
  return names.length > 0 ? names.map((name) => `$${name}`).join(", ") : "none";
}

/** Throw a 400 listing every issue, with the prompt and language named in the message. */
export function assertValidPromptContent(
  content: PromptContent,
  context: { key: string; language: string; declaredVariables: readonly string[] },
): void {
  const issues = findPromptIssues(content, context.declaredVariables);
  if (issues.length === 0) return;

  const summary = issues.map((issue) => issue.message).join(" ");
  throw badRequest(`The ${context.language} version of prompt ${context.key} is invalid. ${summary}`, {
    key: context.key,
    language: context.language,
    field: issues[0]?.field,
    issues,
  });
}
