import type { ParameterSettings } from "@/lib/prompts/parameters";
import { parseTemplate, variablesOfParts } from "@/lib/prompts/template";
import { findPromptIssues, type PromptIssue } from "@/lib/prompts/validation";

/**
 * Lint of the editor, run as the editor types (it imports nothing server-only): the prompt
 * engine's own checks, plus which language of the pair still uses a variable this one dropped.
 */

export interface EditorContent {
  systemText: string;
  userTemplate: string;
  parameters: ParameterSettings;
}

export interface EditorIssue extends PromptIssue {
  /** For a missing variable: the other language of the pair when it still uses the variable. */
  usedIn?: string;
}

export function usedVariables(content: Pick<EditorContent, "systemText" | "userTemplate">): Set<string> {
  return new Set([
    ...variablesOfParts(parseTemplate(content.systemText)),
    ...variablesOfParts(parseTemplate(content.userTemplate)),
  ]);
}

export function lintEditorContent(
  content: EditorContent,
  declaredVariables: readonly string[],
  other?: { language: string; content: Pick<EditorContent, "systemText" | "userTemplate"> },
): EditorIssue[] {
  const issues: EditorIssue[] = findPromptIssues(content, declaredVariables);
  if (!other) return issues;

  const otherUses = usedVariables(other.content);
  return issues.map((issue) =>
    issue.code === "unused_variable" && issue.variable && otherUses.has(issue.variable)
      ? { ...issue, usedIn: other.language }
      : issue,
  );
}

/** Compare the texts and settings of two contents, to tell saved work from unsaved. */
export function sameContent(left: EditorContent, right: EditorContent): boolean {
  return (
    left.systemText === right.systemText &&
    left.userTemplate === right.userTemplate &&
    JSON.stringify(normalize(left.parameters)) === JSON.stringify(normalize(right.parameters))
  );
}

function normalize(parameters: ParameterSettings) {
  const overrides = Object.fromEntries(
    Object.entries(parameters.overrides ?? {})
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return { preset: parameters.preset, overrides, maxOutputTokens: parameters.maxOutputTokens ?? null };
}
