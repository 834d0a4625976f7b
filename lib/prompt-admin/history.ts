import type { Db } from "@/db/client";
import { getUserNames, listPublicationNotes } from "@/db/queries/prompt-tests";
import { getPromptDraft, getPromptPublication, listPromptVersions } from "@/db/queries/prompts";
import type { PromptDraft, PromptVersion } from "@/db/schema";
import { normalizeParameterSettings, type ParameterSettings } from "@/lib/prompts/parameters";
import { getVersionOrThrow, listPublishedVersionIds } from "./publishing";
import { type DiffSegment, diffWords, summarizeDiff } from "./word-diff";

/** A version as the history lists it: who saved it, why, and whether it is live. */
export interface VersionEntry {
  id: string;
  versionNumber: number;
  note: string;
  authorName: string | null;
  createdAt: Date;
  live: boolean;
  /** Whether the version was ever live in this language; only such a version may be rolled back to. */
  publishedBefore: boolean;
  /** Publications and rollbacks of this version with their notes, newest first. */
  publications: Array<{ action: string; note: string; at: Date; actorName: string | null }>;
}

export interface LanguageHistory {
  language: string;
  publishedVersionId: string | null;
  versions: VersionEntry[];
}

export async function getLanguageHistory(db: Db, params: { key: string; language: string }): Promise<LanguageHistory> {
  const [versions, publication, notes, publishedIds] = await Promise.all([
    listPromptVersions(db, params),
    getPromptPublication(db, params),
    listPublicationNotes(db, params),
    listPublishedVersionIds(db, params),
  ]);
  const names = await getUserNames(db, {
    ids: versions.flatMap((version) => (version.authorId ? [version.authorId] : [])),
  });

  return {
    language: params.language,
    publishedVersionId: publication?.versionId ?? null,
    versions: versions.map((version) => ({
      id: version.id,
      versionNumber: version.versionNumber,
      note: version.note,
      authorName: version.authorId ? (names.get(version.authorId) ?? null) : null,
      createdAt: version.createdAt,
      live: version.id === publication?.versionId,
      publishedBefore: publishedIds.has(version.id),
      publications: notes
        .filter((note) => note.versionId === version.id)
        .map((note) => ({ action: note.action, note: note.note, at: note.createdAt, actorName: note.actorName })),
    })),
  };
}

export interface VersionDiff {
  from: { id: string; versionNumber: number; language: string };
  to: { id: string; versionNumber: number; language: string };
  systemText: DiffSegment[];
  userTemplate: DiffSegment[];
  parameters: { before: ParameterSettings; after: ParameterSettings; changed: boolean };
  summary: { added: number; removed: number };
}

/** Word-level diff between two versions of a prompt, in one language or across two. */
export async function diffPromptVersions(
  db: Db,
  params: { key: string; from: { language: string; versionId: string }; to: { language: string; versionId: string } },
): Promise<VersionDiff> {
  const [from, to] = await Promise.all([
    getVersionOrThrow(db, { key: params.key, ...params.from }),
    getVersionOrThrow(db, { key: params.key, ...params.to }),
  ]);
  return diffContents(from, to);
}

export function diffContents(from: PromptVersion, to: PromptVersion): VersionDiff {
  const systemText = diffWords(from.systemText, to.systemText);
  const userTemplate = diffWords(from.userTemplate, to.userTemplate);
  const before = normalizeParameterSettings(from.parameters);
  const after = normalizeParameterSettings(to.parameters);
  const system = summarizeDiff(systemText);
  const user = summarizeDiff(userTemplate);
  return {
    from: { id: from.id, versionNumber: from.versionNumber, language: from.language },
    to: { id: to.id, versionNumber: to.versionNumber, language: to.language },
    systemText,
    userTemplate,
    parameters: { before, after, changed: JSON.stringify(before) !== JSON.stringify(after) },
    summary: { added: system.added + user.added, removed: system.removed + user.removed },
  };
}

/**
 * Editor state of one language: the latest version, the live one, and the shared draft, each with
 * the id and name of the user who last changed it, so a conflict screen can name them.
 * A name is null when the user was deleted.
 */
export interface LanguageState {
  language: string;
  latest: (PromptVersion & { authorName: string | null }) | null;
  publishedVersionId: string | null;
  publishedVersionNumber: number | null;
  publishedBy: string | null;
  publishedByName: string | null;
  draft: (PromptDraft & { updatedByName: string | null }) | null;
}

export async function getLanguageState(db: Db, params: { key: string; language: string }): Promise<LanguageState> {
  const [versions, publication, draft] = await Promise.all([
    listPromptVersions(db, params),
    getPromptPublication(db, params),
    getPromptDraft(db, params),
  ]);
  const latest = versions[0];
  const userIds = [latest?.authorId, publication?.publishedBy, draft?.updatedBy].filter((id) => id != null);
  const names = await getUserNames(db, { ids: userIds });
  const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? null) : null);
  return {
    language: params.language,
    latest: latest ? { ...latest, authorName: nameOf(latest.authorId) } : null,
    publishedVersionId: publication?.versionId ?? null,
    publishedVersionNumber: versions.find((version) => version.id === publication?.versionId)?.versionNumber ?? null,
    publishedBy: publication?.publishedBy ?? null,
    publishedByName: nameOf(publication?.publishedBy),
    draft: draft ? { ...draft, updatedByName: nameOf(draft.updatedBy) } : null,
  };
}
