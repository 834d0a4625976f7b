import type { Db } from "@/db/client";
import {
  countPrompts,
  findPromptVersionByHash,
  getLatestPromptVersion,
  getPromptPublication,
  insertPromptAuditEntry,
  listPrompts,
  listPublishedPromptVersions,
  lockPromptByKey,
  lockPromptImport,
  notifyPromptChange,
  upsertPrompt,
} from "@/db/queries/prompts";
import type { Prompt } from "@/db/schema";
import { badRequest } from "@/lib/errors";
import { defaultPromptsDir, readPromptDirectory, writePromptDirectory } from "./files";
import { hashPromptContent, type PromptContent, type PromptDefinition } from "./manifest";
import { normalizeParameterSettings } from "./parameters";
import { publishPromptVersion, savePromptVersion } from "./store";
import { findPromptIssues } from "./validation";

export interface ImportedLanguage {
  key: string;
  language: string;
  versionNumber: number;
}

export interface ImportSummary {
  /** Prompts whose description, variables, output schema or model role were created or changed. */
  promptsUpdated: string[];
  versionsCreated: ImportedLanguage[];
  published: ImportedLanguage[];
  /** Languages whose live version stayed as it was (already live, or `publish` was off). */
  liveUnchanged: ImportedLanguage[];
}

const IMPORT_NOTE = "Imported from prompt files";

/**
 * Import prompt definitions in one transaction. A language gets a new version only when its
 * content matches no existing version; with `publish`, the matching or new version goes live.
 */
export async function importPromptDefinitions(
  db: Db,
  definitions: PromptDefinition[],
  options: { publish: boolean },
): Promise<ImportSummary> {
  const summary: ImportSummary = { promptsUpdated: [], versionsCreated: [], published: [], liveUnchanged: [] };

  await db.transaction(async (tx) => {
    await lockPromptImport(tx);
    for (const definition of definitions) {
      await importDefinition(tx, definition, options, summary);
    }
  });
  return summary;
}

async function importDefinition(
  db: Db,
  definition: PromptDefinition,
  options: { publish: boolean },
  summary: ImportSummary,
): Promise<void> {
  const { key } = definition;
  const existing = await lockPromptByKey(db, { key });
  const fields = {
    description: definition.description,
    variables: definition.variables,
    outputSchema: definition.outputSchema,
    modelRole: definition.modelRole,
  };
  if (!existing || JSON.stringify(promptFields(existing)) !== JSON.stringify(fields)) {
    await assertOtherLanguagesFit(db, definition);
    await upsertPrompt(db, { key, ...fields });
    await insertPromptAuditEntry(db, {
      actorId: null,
      action: "prompt.update",
      key,
      before: existing ? promptFields(existing) : null,
      after: fields,
    });
    await notifyPromptChange(db, { key });
    summary.promptsUpdated.push(key);
  }

  for (const [language, content] of Object.entries(definition.languages)) {
    await importLanguage(db, key, language, content, options, summary);
  }
}

function promptFields(row: Prompt) {
  const { description, variables, outputSchema, modelRole } = row;
  return { description, variables, outputSchema, modelRole };
}

/**
 * Reject a variable change that would leave a published language without files (one an editor
 * added in the app) using other variables than the new declaration.
 */
async function assertOtherLanguagesFit(db: Db, definition: PromptDefinition): Promise<void> {
  const declared = definition.variables.map((variable) => variable.name);
  const published = await listPublishedPromptVersions(db);

  for (const { version } of published) {
    if (version.promptKey !== definition.key || version.language in definition.languages) continue;
    const issues = findPromptIssues(version, declared);
    if (issues.length === 0) continue;
    throw badRequest(
      `Prompt ${definition.key}: the published ${version.language} version has no files and does not fit the new variables (${issues.map((issue) => issue.message).join(" ")}). Export it first, or add prompts/system/${definition.key}_${version.language}.txt and prompts/user/${definition.key}_${version.language}.txt.`,
      { key: definition.key, language: version.language, issues },
    );
  }
}

async function importLanguage(
  db: Db,
  key: string,
  language: string,
  content: PromptContent,
  options: { publish: boolean },
  summary: ImportSummary,
): Promise<void> {
  const target = { key, language };
  let version = await findPromptVersionByHash(db, { ...target, contentHash: hashPromptContent(content) });
  if (!version) {
    const latest = await getLatestPromptVersion(db, target);
    const saved = await savePromptVersion(db, {
      ...target,
      ...content,
      actorId: null,
      baseVersionId: latest?.id ?? null,
      note: IMPORT_NOTE,
    });
    version = saved.version;
    summary.versionsCreated.push({ ...target, versionNumber: version.versionNumber });
  }

  const publication = await getPromptPublication(db, target);
  if (!options.publish || publication?.versionId === version.id) {
    summary.liveUnchanged.push({ ...target, versionNumber: version.versionNumber });
    return;
  }
  await publishPromptVersion(db, {
    ...target,
    versionId: version.id,
    basePublishedVersionId: publication?.versionId ?? null,
    actorId: null,
  });
  summary.published.push({ ...target, versionNumber: version.versionNumber });
}

/** Read a prompts folder and import it; throws `PromptFilesError` naming every invalid file. */
export async function importPromptFiles(
  db: Db,
  options: { dir?: string; publish?: boolean } = {},
): Promise<ImportSummary> {
  const definitions = await readPromptDirectory(options.dir ?? defaultPromptsDir);
  return importPromptDefinitions(db, definitions, { publish: options.publish ?? true });
}

/**
 * Import and publish the files when the database has no prompt yet, which is the first start of
 * a new deployment. Instances starting together take turns, and only the first one imports.
 */
export async function importPromptFilesIfEmpty(db: Db, definitions: PromptDefinition[]): Promise<ImportSummary | null> {
  return db.transaction(async (tx) => {
    await lockPromptImport(tx);
    if ((await countPrompts(tx)) > 0) return null;
    return importPromptDefinitions(tx, definitions, { publish: true });
  });
}

/** Read the published versions of every prompt as definitions that the file writer accepts. */
export async function readPublishedDefinitions(db: Db): Promise<PromptDefinition[]> {
  const prompts = await listPrompts(db);
  const published = await listPublishedPromptVersions(db);

  const definitions: PromptDefinition[] = [];
  for (const row of prompts) {
    const languages: Record<string, PromptContent> = {};
    for (const { version } of published) {
      if (version.promptKey !== row.key) continue;
      const { systemText, userTemplate, parameters } = version;
      // jsonb returns keys in its own order; normalizing restores the order files use.
      languages[version.language] = { systemText, userTemplate, parameters: normalizeParameterSettings(parameters) };
    }
    if (Object.keys(languages).length === 0) continue;
    definitions.push({ key: row.key, ...promptFields(row), languages });
  }
  return definitions;
}

/** Write the published versions to a prompts folder; returns the files written. */
export async function exportPromptFiles(db: Db, options: { dir?: string } = {}): Promise<string[]> {
  const definitions = await readPublishedDefinitions(db);
  return writePromptDirectory(options.dir ?? defaultPromptsDir, definitions);
}
