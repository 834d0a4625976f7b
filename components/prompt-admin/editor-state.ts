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
 * Someone saved or published since the pane loaded: another editor, or the same user in another
 * tab or window. Nothing of either side was overwritten: the screen shows their saved state beside
 * the text of this pane.
 */
export type Conflict =
  | { kind: "version"; theirs: EditorVersion | null; mine: EditorContent; author: ConflictAuthor }
  | { kind: "draft"; theirs: EditorDraft | null; mine: EditorContent; author: ConflictAuthor }
  | { kind: "publish"; theirs: EditorVersion | null; mine: EditorVersion | null; author: ConflictAuthor };

/** User who made the change that a conflict is about. Both fields are null when that user was deleted. */
export interface ConflictAuthor {
  id: string | null;
  name: string | null;
}

/**
 * Find who made the change of a conflict in the language's refreshed state: the publisher for a
 * publish, the last saver of the draft, or the author of the latest version.
 */
export function findConflictAuthor(kind: Conflict["kind"], fresh: EditorLanguage | undefined): ConflictAuthor {
  switch (kind) {
    case "publish":
      return { id: fresh?.publishedBy ?? null, name: fresh?.publishedByName ?? null };
    case "draft":
      return { id: fresh?.draft?.updatedBy ?? null, name: fresh?.draft?.updatedByName ?? null };
    case "version":
      return { id: fresh?.latest?.authorId ?? null, name: fresh?.latest?.authorName ?? null };
  }
}

/** Author that the conflict screen names: the viewer (another tab or window), another editor by name, or none. */
export type ConflictAuthorship = { who: "you" } | { who: "named"; name: string } | { who: "unknown" };

/**
 * Tell the viewer's own save in another tab or window apart from another editor's. A deleted
 * author has no id, so the screen can only use a neutral wording.
 */
export function identifyConflictAuthor(author: ConflictAuthor, viewerId: string): ConflictAuthorship {
  if (author.id !== null && author.id === viewerId) return { who: "you" };
  if (author.name) return { who: "named", name: author.name };
  return { who: "unknown" };
}

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
  publishedBy: string | null;
  publishedByName: string | null;
  draft: (Omit<EditorDraft, "updatedAt"> & { updatedAt: string | Date }) | null;
}

/** Convert the detail route's language states to the editor's shape. */
export function toEditorLanguages(states: ApiLanguageState[]): EditorLanguage[] {
  return states.map((state) => ({
    language: state.language,
    publishedVersionId: state.publishedVersionId,
    publishedVersionNumber: state.publishedVersionNumber,
    publishedBy: state.publishedBy,
    publishedByName: state.publishedByName,
    latest: state.latest
      ? {
          id: state.latest.id,
          versionNumber: state.latest.versionNumber,
          systemText: state.latest.systemText,
          userTemplate: state.latest.userTemplate,
          parameters: state.latest.parameters,
          note: state.latest.note,
          createdAt: new Date(state.latest.createdAt).toISOString(),
          authorId: state.latest.authorId,
          authorName: state.latest.authorName ?? null,
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
          updatedBy: state.draft.updatedBy,
          updatedByName: state.draft.updatedByName,
        }
      : null,
  }));
}

/**
 * Apply the stored state read back after a save, publish or rollback of one side. The side's pane
 * is rebased on its language's fresh state and takes `savedContent` as saved. Both change in the
 * same update as the language list, so the header and every panel show the new state together.
 * The other side keeps its text and bases, so its own unsaved edits still meet a conflict check.
 */
export function applyStoredState(
  state: { languages: EditorLanguage[]; panes: [PaneState, PaneState] },
  params: { side: 0 | 1; fresh: EditorLanguage[]; savedContent: EditorContent },
): { languages: EditorLanguage[]; panes: [PaneState, PaneState] } {
  const pane = state.panes[params.side];
  const data = params.fresh.find((entry) => entry.language === pane.language);
  const rebased = rebasePane(pane, data, params.savedContent);
  const panes: [PaneState, PaneState] = params.side === 0 ? [rebased, state.panes[1]] : [state.panes[0], rebased];
  return { languages: params.fresh, panes };
}
