import type { Db } from "@/db/client";
import { getPromptCatalogFingerprint, listPublishedPromptVersions } from "@/db/queries/prompts";
import type { OutputSchemaName } from "@/lib/tasks/schemas";
import { hashPromptContent, type ModelRole, type PromptDefinition } from "./manifest";
import {
  normalizeParameterSettings,
  type ParameterSettings,
  type ResolvedParameters,
  resolveParameters,
} from "./parameters";
import { parseTemplate, type TemplatePart } from "./template";

/** One published language of a prompt, parsed once so rendering only concatenates. */
export interface CachedPromptVersion {
  /** Null when the version comes from the files because the database was unreachable. */
  versionId: string | null;
  versionNumber: number | null;
  language: string;
  contentHash: string;
  system: TemplatePart[];
  user: TemplatePart[];
  settings: ParameterSettings;
  parameters: ResolvedParameters;
}

export interface CachedPrompt {
  key: string;
  modelRole: ModelRole;
  outputSchemaName: OutputSchemaName | null;
  variables: string[];
  languages: Map<string, CachedPromptVersion>;
}

export interface PromptCacheSnapshot {
  source: "database" | "files";
  /** Digest of the database state the snapshot was loaded from; null for files. */
  fingerprint: string | null;
  loadedAt: Date;
  prompts: Map<string, CachedPrompt>;
}

type SnapshotListener = (snapshot: PromptCacheSnapshot) => void;

/**
 * The published prompts of one process. Each reload replaces the snapshot as a whole, so a render
 * uses either the old or the new set and never a mix. Rendering reads only this memory.
 */
export class PromptCache {
  private current: PromptCacheSnapshot | undefined;
  private readonly listeners = new Set<SnapshotListener>();

  get snapshot(): PromptCacheSnapshot | undefined {
    return this.current;
  }

  replace(snapshot: PromptCacheSnapshot): void {
    this.current = snapshot;
    for (const listener of this.listeners) listener(snapshot);
  }

  /** Call `listener` after each replacement; returns the function that unsubscribes. */
  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The cached version of a prompt and language, for tests and diagnostics. */
  getVersion(key: string, language: string): CachedPromptVersion | undefined {
    return this.current?.prompts.get(key)?.languages.get(language);
  }
}

const globalForPrompts = globalThis as unknown as { rankwisePromptCache?: PromptCache };

/** Return the process-wide cache, kept on `globalThis` because Next.js may load this module more than once. */
export function getPromptCache(): PromptCache {
  globalForPrompts.rankwisePromptCache ??= new PromptCache();
  return globalForPrompts.rankwisePromptCache;
}

function compileVersion(
  identity: { versionId: string | null; versionNumber: number | null; language: string },
  content: { systemText: string; userTemplate: string; parameters: ParameterSettings },
): CachedPromptVersion {
  return {
    ...identity,
    contentHash: hashPromptContent(content),
    system: parseTemplate(content.systemText),
    user: parseTemplate(content.userTemplate),
    settings: content.parameters,
    parameters: resolveParameters(content.parameters),
  };
}

/** Load every published version from the database into the cache and return the new snapshot. */
export async function loadPromptCache(db: Db, cache: PromptCache = getPromptCache()): Promise<PromptCacheSnapshot> {
  // Read the fingerprint first: a publish between the two reads then shows up as a changed
  // fingerprint at the next check, whereas the opposite order could hide it.
  const fingerprint = await getPromptCatalogFingerprint(db);
  const rows = await listPublishedPromptVersions(db);

  const prompts = new Map<string, CachedPrompt>();
  for (const { prompt, version } of rows) {
    let entry = prompts.get(prompt.key);
    if (!entry) {
      entry = {
        key: prompt.key,
        modelRole: prompt.modelRole,
        outputSchemaName: prompt.outputSchema,
        variables: prompt.variables.map((variable) => variable.name),
        languages: new Map(),
      };
      prompts.set(prompt.key, entry);
    }
    const identity = { versionId: version.id, versionNumber: version.versionNumber, language: version.language };
    const parameters = normalizeParameterSettings(version.parameters);
    entry.languages.set(version.language, compileVersion(identity, { ...version, parameters }));
  }

  const snapshot: PromptCacheSnapshot = { source: "database", fingerprint, loadedAt: new Date(), prompts };
  cache.replace(snapshot);
  return snapshot;
}

/** Serve prompts read from files, for when the database cannot be reached. */
export function loadPromptCacheFromDefinitions(
  definitions: PromptDefinition[],
  cache: PromptCache = getPromptCache(),
): PromptCacheSnapshot {
  const prompts = new Map<string, CachedPrompt>();
  for (const definition of definitions) {
    const languages = new Map<string, CachedPromptVersion>();
    for (const [language, content] of Object.entries(definition.languages)) {
      languages.set(language, compileVersion({ versionId: null, versionNumber: null, language }, content));
    }
    prompts.set(definition.key, {
      key: definition.key,
      modelRole: definition.modelRole,
      outputSchemaName: definition.outputSchema,
      variables: definition.variables.map((variable) => variable.name),
      languages,
    });
  }

  const snapshot: PromptCacheSnapshot = { source: "files", fingerprint: null, loadedAt: new Date(), prompts };
  cache.replace(snapshot);
  return snapshot;
}
