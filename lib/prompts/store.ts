import { z } from "zod";
import type { Db } from "@/db/client";
import {
  deletePromptDraft,
  getLatestPromptVersion,
  getPromptDraft,
  getPromptPublication,
  getPromptVersionById,
  insertPromptAuditEntry,
  insertPromptVersion,
  lockPromptByKey,
  notifyPromptChange,
  setPromptPublication,
  upsertPromptDraft,
} from "@/db/queries/prompts";
import type { Prompt, PromptDraft, PromptPublication, PromptVersion } from "@/db/schema";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { hashPromptContent, languageSchema, promptKeySchema } from "./manifest";
import { normalizeParameterSettings, parameterSettingsSchema } from "./parameters";
import { assertValidPromptContent, findPromptIssues, type PromptIssue } from "./validation";

/**
 * The prompt store: drafts, immutable versions, publication and rollback. Each operation runs in
 * one transaction that locks the prompt row, checks the version the caller started from (409 with
 * both versions when someone else got there first), writes, and adds its audit entry.
 */

const targetSchema = z.object({
  key: promptKeySchema,
  language: languageSchema,
  /** The acting user; null for system work such as importing files. */
  actorId: z.uuid().nullable(),
});

const contentSchema = z.object({
  systemText: z.string(),
  userTemplate: z.string(),
  parameters: parameterSettingsSchema,
});

export const savePromptVersionSchema = targetSchema.extend(contentSchema.shape).extend({
  /** Latest version of this language when the editor started; null when the language had none. */
  baseVersionId: z.uuid().nullable(),
  note: z.string().trim().max(500).default(""),
});
export type SavePromptVersionParams = z.input<typeof savePromptVersionSchema>;

export const savePromptDraftSchema = targetSchema.extend(contentSchema.shape).extend({
  baseVersionId: z.uuid().nullable(),
  /** Revision of the draft when the editor loaded it; null when there was no draft. */
  baseDraftRevision: z.int().min(1).nullable(),
});
export type SavePromptDraftParams = z.input<typeof savePromptDraftSchema>;

export const publishPromptVersionSchema = targetSchema.extend({
  versionId: z.uuid(),
  /** Version that was live when the editor decided; null when the language was never published. */
  basePublishedVersionId: z.uuid().nullable(),
});
export type PublishPromptVersionParams = z.input<typeof publishPromptVersionSchema>;

/** The identity of a version as conflict details and audit entries show it. */
export interface VersionSummary {
  id: string;
  versionNumber: number;
  contentHash: string;
  authorId: string | null;
  createdAt: string;
}

function summarize(version: PromptVersion | undefined): VersionSummary | null {
  if (!version) return null;
  const { id, versionNumber, contentHash, authorId, createdAt } = version;
  return { id, versionNumber, contentHash, authorId, createdAt: new Date(createdAt).toISOString() };
}

/** ICU values of a conflict's localized text: the prompt, its language and the newer version, when there is one. */
function conflictParams(
  input: { key: string; language: string },
  newer: PromptVersion | undefined,
): Record<string, string | number> {
  const params: Record<string, string | number> = { key: input.key, language: input.language };
  if (newer) params.versionNumber = newer.versionNumber;
  return params;
}

async function lockPromptOrThrow(db: Db, key: string): Promise<Prompt> {
  const found = await lockPromptByKey(db, { key });
  if (!found) throw notFound("prompt", `Prompt ${key}`);
  return found;
}

/** A version of this prompt and language, or undefined for null; another prompt's version is a 400. */
async function getOwnVersion(
  db: Db,
  id: string | null,
  target: { key: string; language: string },
  field: string,
): Promise<PromptVersion | undefined> {
  if (id === null) return undefined;
  const version = await getPromptVersionById(db, { id });
  if (!version || version.promptKey !== target.key || version.language !== target.language) {
    throw badRequest(`${field} ${id} is not a version of prompt ${target.key} (${target.language}).`, { field });
  }
  return version;
}

function declaredNames(row: Prompt): string[] {
  return row.variables.map((variable) => variable.name);
}

/** Save a new immutable version; content equal to the latest version returns it with `created: false`. */
export async function savePromptVersion(
  db: Db,
  params: SavePromptVersionParams,
): Promise<{ version: PromptVersion; created: boolean }> {
  const input = savePromptVersionSchema.parse(params);
  const content = { ...input, parameters: normalizeParameterSettings(input.parameters) };

  return db.transaction(async (tx) => {
    const row = await lockPromptOrThrow(tx, input.key);
    const latest = await getLatestPromptVersion(tx, input);
    if ((latest?.id ?? null) !== input.baseVersionId) {
      const base = await getOwnVersion(tx, input.baseVersionId, input, "baseVersionId");
      throw conflict(
        `Prompt ${input.key} (${input.language}) has a newer version ${latest?.versionNumber} than the version you edited; nothing was saved. Reload, merge your changes and save again.`,
        {
          baseVersion: summarize(base),
          currentVersion: summarize(latest),
          reason: "prompt_version_outdated",
          params: conflictParams(input, latest),
        },
      );
    }
    assertValidPromptContent(content, { ...input, declaredVariables: declaredNames(row) });

    const contentHash = hashPromptContent(content);
    if (latest && latest.contentHash === contentHash) return { version: latest, created: false };

    const version = await insertPromptVersion(tx, {
      ...content,
      contentHash,
      versionNumber: (latest?.versionNumber ?? 0) + 1,
      authorId: input.actorId,
      note: input.note,
    });
    await deletePromptDraft(tx, input);
    await insertPromptAuditEntry(tx, {
      ...input,
      action: "prompt.version.save",
      before: summarize(latest),
      after: { ...summarize(version), note: input.note },
    });
    return { version, created: true };
  });
}

/**
 * Save work in progress without minting a version. Text problems are returned as `issues`
 * rather than rejected, because a draft may be unfinished; parameters must still be valid.
 */
export async function savePromptDraft(
  db: Db,
  params: SavePromptDraftParams,
): Promise<{ draft: PromptDraft; issues: PromptIssue[] }> {
  const input = savePromptDraftSchema.parse(params);
  const parameters = normalizeParameterSettings(input.parameters);

  return db.transaction(async (tx) => {
    const row = await lockPromptOrThrow(tx, input.key);
    const current = await getPromptDraft(tx, input);
    if ((current?.revision ?? null) !== input.baseDraftRevision) {
      throw conflict(
        `The draft of prompt ${input.key} (${input.language}) was saved by someone else since you opened it; nothing was saved. Reload to see their draft.`,
        {
          baseDraftRevision: input.baseDraftRevision,
          currentDraft: summarizeDraft(current),
          reason: "prompt_draft_outdated",
          params: conflictParams(input, undefined),
        },
      );
    }
    const latest = await getLatestPromptVersion(tx, input);
    if ((latest?.id ?? null) !== input.baseVersionId) {
      const base = await getOwnVersion(tx, input.baseVersionId, input, "baseVersionId");
      throw conflict(
        `Prompt ${input.key} (${input.language}) has a newer version ${latest?.versionNumber} than the one your draft started from; nothing was saved. Reload to start from it.`,
        {
          baseVersion: summarize(base),
          currentVersion: summarize(latest),
          reason: "prompt_draft_base_outdated",
          params: conflictParams(input, latest),
        },
      );
    }

    const draft = await upsertPromptDraft(tx, {
      ...input,
      parameters,
      revision: (current?.revision ?? 0) + 1,
      updatedBy: input.actorId,
    });
    await insertPromptAuditEntry(tx, {
      ...input,
      action: "prompt.draft.save",
      before: current ? draftAuditState(current) : null,
      after: draftAuditState(draft),
    });
    const issues = findPromptIssues({ ...input, parameters }, declaredNames(row));
    return { draft, issues };
  });
}

function summarizeDraft(draft: PromptDraft | undefined) {
  if (!draft) return null;
  const { revision, baseVersionId, updatedBy, updatedAt } = draft;
  return { revision, baseVersionId, updatedBy, updatedAt: new Date(updatedAt).toISOString() };
}

/** Drafts are overwritten in place, so their audit entries keep the full texts. */
function draftAuditState(draft: PromptDraft) {
  const { systemText, userTemplate, parameters } = draft;
  return { ...summarizeDraft(draft), systemText, userTemplate, parameters };
}

export interface PublicationResult {
  publication: PromptPublication;
  version: PromptVersion;
  previous: VersionSummary | null;
  /** False when the version was already live, in which case nothing was written. */
  changed: boolean;
}

/** Make a version the live one for its language; every instance's cache reloads on commit. */
export async function publishPromptVersion(db: Db, params: PublishPromptVersionParams): Promise<PublicationResult> {
  return movePublication(db, publishPromptVersionSchema.parse(params), "prompt.publish");
}

/** Publish an older version again; audited as a rollback and otherwise the same as a publish. */
export async function rollbackPrompt(db: Db, params: PublishPromptVersionParams): Promise<PublicationResult> {
  return movePublication(db, publishPromptVersionSchema.parse(params), "prompt.rollback");
}

async function movePublication(
  db: Db,
  input: z.infer<typeof publishPromptVersionSchema>,
  action: "prompt.publish" | "prompt.rollback",
): Promise<PublicationResult> {
  return db.transaction(async (tx) => {
    const row = await lockPromptOrThrow(tx, input.key);
    const version = await getPromptVersionById(tx, { id: input.versionId });
    if (!version || version.promptKey !== input.key || version.language !== input.language) {
      throw notFound("prompt_version", `Version ${input.versionId} of prompt ${input.key} (${input.language})`);
    }

    const publication = await getPromptPublication(tx, input);
    const current = publication ? await getPromptVersionById(tx, { id: publication.versionId }) : undefined;
    if ((current?.id ?? null) !== input.basePublishedVersionId) {
      const base = await getOwnVersion(tx, input.basePublishedVersionId, input, "basePublishedVersionId");
      throw conflict(
        `Prompt ${input.key} (${input.language}) was published by someone else since you opened it: version ${current?.versionNumber} is live now. Nothing was changed; reload and decide again.`,
        {
          basePublishedVersion: summarize(base),
          currentPublishedVersion: summarize(current),
          reason: "prompt_published_elsewhere",
          params: conflictParams(input, current),
        },
      );
    }
    if (publication && current?.id === version.id) {
      return { publication, version, previous: summarize(current), changed: false };
    }
    if (action === "prompt.rollback" && (!current || version.versionNumber >= current.versionNumber)) {
      throw badRequest(
        `Rollback needs a version older than the live one (${current ? `version ${current.versionNumber}` : "none is live"}); publish newer versions instead.`,
        { field: "versionId" },
      );
    }
    // A version saved before the prompt's variables changed would fail at render time.
    assertValidPromptContent(version, { ...input, declaredVariables: declaredNames(row) });

    const updated = await setPromptPublication(tx, { ...input, publishedBy: input.actorId });
    await insertPromptAuditEntry(tx, { ...input, action, before: summarize(current), after: summarize(version) });
    await notifyPromptChange(tx, input);
    return { publication: updated, version, previous: summarize(current), changed: true };
  });
}
