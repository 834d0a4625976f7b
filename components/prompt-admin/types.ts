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
  /** User who saved the version, or null when that user was deleted. */
  authorId: string | null;
  /** Name of that user. The detail route sends it, but the route of a single version does not. */
  authorName?: string | null;
}

export interface EditorDraft {
  systemText: string;
  userTemplate: string;
  parameters: ParameterSettings;
  revision: number;
  baseVersionId: string | null;
  updatedAt: string;
  /** User who saved the draft last, or null when that user was deleted. */
  updatedBy: string | null;
  updatedByName: string | null;
}

export interface EditorLanguage {
  language: string;
  latest: EditorVersion | null;
  publishedVersionId: string | null;
  publishedVersionNumber: number | null;
  /** User who published the live version, or null when none is live or that user was deleted. */
  publishedBy: string | null;
  publishedByName: string | null;
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
  /** Id of the signed-in user, to tell their own saves from other editors' saves. */
  viewerId: string;
  prompt: EditorPrompt;
  languages: EditorLanguage[];
  cases: TestCaseView[];
  gateOn: boolean;
  canEdit: boolean;
  isAdmin: boolean;
}
