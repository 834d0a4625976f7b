import type { EditorContent } from "@/lib/prompt-admin/lint";
import type { EditorDraft, EditorLanguage, EditorVersion } from "./types";

/** State of one side of the editor: the text being edited and the stored state it was based on. */
export interface PaneState {
  language: string;
  content: EditorContent;
  /** Latest version when the pane loaded; a save based on another one is a conflict. */
  baseVersionId: string | null;
  baseDraftRevision: number | null;
  basePublishedVersionId: string | null;
  /** The saved content the pane loaded (draft, else latest version), to tell unsaved edits. */
  savedContent: EditorContent;
  conflict: Conflict | null;
}

/**
 * Someone else saved or published since the pane loaded. Nothing of either side was
 * overwritten: the screen shows their saved state beside the text of this pane.
 */
export type Conflict =
  | { kind: "version"; theirs: EditorVersion | null; mine: EditorContent }
  | { kind: "draft"; theirs: EditorDraft | null; mine: EditorContent }
  | { kind: "publish"; theirs: EditorVersion | null; mine: EditorVersion | null };

const emptyContent: EditorContent = {
  systemText: "",
  userTemplate: "",
  parameters: { preset: "analytical", overrides: {} },
};

export function contentOf(source: {
  systemText: string;
  userTemplate: string;
  parameters: EditorContent["parameters"];
}) {
  return { systemText: source.systemText, userTemplate: source.userTemplate, parameters: source.parameters };
}

/** A pane loaded from the stored state of its language: the shared draft if any, else the latest version. */
export function loadPane(data: EditorLanguage | undefined, language: string): PaneState {
  let saved = emptyContent;
  if (data?.draft) saved = contentOf(data.draft);
  else if (data?.latest) saved = contentOf(data.latest);
  return {
    language,
    content: saved,
    baseVersionId: data?.latest?.id ?? null,
    baseDraftRevision: data?.draft?.revision ?? null,
    basePublishedVersionId: data?.publishedVersionId ?? null,
    savedContent: saved,
    conflict: null,
  };
}

/** Move a pane's bases to the stored state, keeping the text in it (after a save, or "keep mine"). */
export function rebasePane(pane: PaneState, data: EditorLanguage | undefined, savedContent?: EditorContent): PaneState {
  return {
    ...pane,
    baseVersionId: data?.latest?.id ?? null,
    baseDraftRevision: data?.draft?.revision ?? null,
    basePublishedVersionId: data?.publishedVersionId ?? null,
    savedContent: savedContent ?? pane.savedContent,
    conflict: null,
  };
}

interface ApiLanguageState {
  language: string;
  latest: (Omit<EditorVersion, "createdAt"> & { createdAt: string | Date }) | null;
  publishedVersionId: string | null;
  publishedVersionNumber: number | null;
  draft: (Omit<EditorDraft, "updatedAt"> & { updatedAt: string | Date }) | null;
}

/** Convert the detail route's language states to the editor's shape. */
export function toEditorLanguages(states: ApiLanguageState[]): EditorLanguage[] {
  return states.map((state) => ({
    language: state.language,
    publishedVersionId: state.publishedVersionId,
    publishedVersionNumber: state.publishedVersionNumber,
    latest: state.latest
      ? {
          id: state.latest.id,
          versionNumber: state.latest.versionNumber,
          systemText: state.latest.systemText,
          userTemplate: state.latest.userTemplate,
          parameters: state.latest.parameters,
          note: state.latest.note,
          createdAt: new Date(state.latest.createdAt).toISOString(),
        }
      : null,
    draft: state.draft
      ? {
          systemText: state.draft.systemText,
          userTemplate: state.draft.userTemplate,
          parameters: state.draft.parameters,
          revision: state.draft.revision,
          baseVersionId: state.draft.baseVersionId,
          updatedAt: new Date(state.draft.updatedAt).toISOString(),
          updatedByName: state.draft.updatedByName,
        }
      : null,
  }));
}
