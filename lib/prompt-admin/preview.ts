import { z } from "zod";
import type { Prompt } from "@/db/schema";
import type { ModelInfo } from "@/lib/ai";
import { badRequest } from "@/lib/errors";
import {
  type ParameterSettings,
  parameterSettingsSchema,
  type ResolvedParameters,
  resolveParameters,
} from "@/lib/prompts/parameters";
import { formatTemplateValue, parseTemplate, type TemplatePart } from "@/lib/prompts/template";
import { findPromptIssues, type PromptIssue } from "@/lib/prompts/validation";
import { countMessageTokens } from "./tokens";

/**
 * The editor's preview: the exact system and user messages a version or a draft would send, with
 * each placeholder that cannot be filled left as written and marked, plus the model, the final
 * parameters and a token estimate.
 */

export const previewRequestSchema = z.object({
  language: z.string().min(2).max(35),
  systemText: z.string().max(100_000),
  userTemplate: z.string().max(100_000),
  parameters: parameterSettingsSchema,
  /** Values that replace the declared samples; other declared variables take their sample. */
  variables: z.record(z.string(), z.json()).default({}),
});
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

/** A piece of a rendered message: literal text, a filled variable, or a placeholder left as written. */
export interface PreviewSegment {
  text: string;
  /** The variable that produced this text. */
  variable?: string;
  /** Set when the placeholder stays in the message: `invalid` ($ not followed by a name) or `undeclared`. */
  unresolved?: "invalid" | "undeclared";
  line?: number;
  column?: number;
}

export interface PreviewMessage {
  role: "system" | "user";
  content: string;
  segments: PreviewSegment[];
}

export interface UnresolvedPlaceholder {
  role: "system" | "user";
  source: string;
  reason: "invalid" | "undeclared";
  line: number;
  column: number;
}

export interface PromptPreview {
  messages: [PreviewMessage, PreviewMessage];
  unresolved: UnresolvedPlaceholder[];
  /** Lint of the texts against the prompt's declared variables, as the prompt engine reports it. */
  issues: PromptIssue[];
  model: { provider: string; role: Prompt["modelRole"]; name: string; simulated: boolean };
  parameters: ResolvedParameters;
  outputSchema: string | null;
  /** Estimated tokens of the messages (o200k_base); the answer adds up to `maxOutputTokens`. */
  inputTokens: number;
}

/** Declared variables with their sample values, overridden by the given values. */
export function resolvePreviewVariables(prompt: Prompt, overrides: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const variable of prompt.variables) {
    values[variable.name] = Object.hasOwn(overrides, variable.name) ? overrides[variable.name] : variable.sample;
  }
  return values;
}

export function buildPreview(
  prompt: Prompt,
  request: {
    systemText: string;
    userTemplate: string;
    parameters: ParameterSettings;
    variables: Record<string, unknown>;
  },
  modelInfo: ModelInfo,
): PromptPreview {
  const declared = prompt.variables.map((variable) => variable.name);
  const unknown = Object.keys(request.variables).filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    throw badRequest(
      `variables has names that prompt ${prompt.key} does not declare: ${unknown.slice(0, 20).join(", ")}. Use ${declared.join(", ") || "no variables"}.`,
      { field: "variables", unknownVariables: unknown.slice(0, 20) },
    );
  }
  const values = resolvePreviewVariables(prompt, request.variables);
  const system = renderSegments("system", parseTemplate(request.systemText), values);
  const user = renderSegments("user", parseTemplate(request.userTemplate), values);
  const unresolved = [...system.unresolved, ...user.unresolved];
  const messages: [PreviewMessage, PreviewMessage] = [system.message, user.message];

  return {
    messages,
    unresolved,
    issues: findPromptIssues(
      { systemText: request.systemText, userTemplate: request.userTemplate, parameters: request.parameters },
      prompt.variables.map((variable) => variable.name),
    ),
    model: {
      provider: modelInfo.provider,
      role: prompt.modelRole,
      name: modelInfo.models[prompt.modelRole],
      simulated: modelInfo.simulated,
    },
    parameters: resolveParameters(request.parameters),
    outputSchema: prompt.outputSchema,
    inputTokens: countMessageTokens(messages),
  };
}

function renderSegments(role: "system" | "user", parts: TemplatePart[], values: Record<string, unknown>) {
  const segments: PreviewSegment[] = [];
  const unresolved: UnresolvedPlaceholder[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      segments.push({ text: part });
      continue;
    }
    const reason = part.kind === "invalid" ? "invalid" : Object.hasOwn(values, part.name) ? undefined : "undeclared";
    if (reason) {
      segments.push({ text: part.source, unresolved: reason, line: part.line, column: part.column });
      unresolved.push({ role, source: part.source, reason, line: part.line, column: part.column });
      continue;
    }
    segments.push({ text: formatTemplateValue(values[part.name], part.name), variable: part.name });
  }
  const content = segments.map((segment) => segment.text).join("");
  return { message: { role, content, segments }, unresolved };
}
