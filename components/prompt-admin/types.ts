import type { Assertion } from "@/lib/prompt-admin/assertions";
import type { PromptVariable } from "@/lib/prompts/manifest";
import type { ParameterSettings } from "@/lib/prompts/parameters";

/** Data the editor page hands to its client components; dates are ISO strings. */

export interface EditorPrompt {
  key: string;
  description: string;
  modelRole: "fast" | "smart";
  outputSchema: string | null;
  variables: PromptVariable[];
}

export interface EditorVersion {
  id: string;
  versionNumber: number;
  systemText: string;
  userTemplate: string;
  parameters: ParameterSettings;
  note: string;
  createdAt: string;
}

export interface EditorDraft {
  systemText: string;
  userTemplate: string;
  parameters: ParameterSettings;
  revision: number;
  baseVersionId: string | null;
  updatedAt: string;
  updatedByName: string | null;
}

export interface EditorLanguage {
  language: string;
  latest: EditorVersion | null;
  publishedVersionId: string | null;
  publishedVersionNumber: number | null;
  draft: EditorDraft | null;
}

export interface TestCaseView {
  id: string;
  name: string;
  language: string;
  variables: Record<string, unknown>;
  assertions: Assertion[];
}

export interface EditorData {
  prompt: EditorPrompt;
  languages: EditorLanguage[];
  cases: TestCaseView[];
  gateOn: boolean;
  canEdit: boolean;
  isAdmin: boolean;
}
