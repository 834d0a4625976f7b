import { AppError } from "@/lib/errors";
import type { OutputSchemaName } from "@/lib/tasks/schemas";
import { type CachedPromptVersion, getPromptCache, type PromptCache } from "./cache";
import { FALLBACK_LANGUAGE, type ModelRole } from "./manifest";
import type { ResolvedParameters } from "./parameters";
import { parseTemplate, renderTemplate, TemplateError, type TemplatePart, type TemplateValues } from "./template";

export interface RenderPromptRequest {
  key: string;
  /** Language tag such as `fr` or `fr-CA`; case and `_` separators are normalized. */
  language: string;
  variables: TemplateValues;
}

export type PromptMessages = [{ role: "system"; content: string }, { role: "user"; content: string }];

export interface RenderedPrompt {
  messages: PromptMessages;
  /** Null when prompts are served from files because the database was unreachable at start-up. */
  versionId: string | null;
  versionNumber: number | null;
  /** The language whose version was used. */
  language: string;
  /** The requested language when another one was used; the run records it. */
  fallbackFrom?: string;
  parameters: ResolvedParameters;
  modelRole: ModelRole;
  /** Name in `lib/tasks/schemas.ts`; null when the model output is free text. */
  outputSchemaName: OutputSchemaName | null;
  source: "database" | "files";
}

/** Normalize a language tag to the form prompt versions use: `fr_CA` becomes `fr-ca`. */
export function normalizeLanguage(language: string): string {
  return language.trim().toLowerCase().replaceAll("_", "-");
}

/**
 * Render a published prompt from the in-memory cache; reads no file and no database row. A
 * language without a published version falls back to its primary tag (`fr-ca` to `fr`), then to
 * English, and `fallbackFrom` records the request. Substitution is strict: a missing variable
 * throws.
 */
export function renderPrompt(request: RenderPromptRequest, cache: PromptCache = getPromptCache()): RenderedPrompt {
  const snapshot = cache.snapshot;
  if (!snapshot) {
    throw new AppError(503, "prompts_not_loaded", "Prompts are not loaded yet. Try again in a moment.");
  }
  const prompt = snapshot.prompts.get(request.key);
  if (!prompt) {
    throw new AppError(500, "prompt_not_found", `No published prompt has the key ${request.key}.`, {
      key: request.key,
    });
  }

  const requested = normalizeLanguage(request.language);
  const version = pickVersion(prompt.languages, requested);
  if (!version) {
    throw new AppError(
      500,
      "prompt_not_found",
      `Prompt ${request.key} has no published version in ${requested} or ${FALLBACK_LANGUAGE}.`,
      { key: request.key, language: requested },
    );
  }

  const rendered: RenderedPrompt = {
    messages: [
      { role: "system", content: fill(version.system, request, version, "system") },
      { role: "user", content: fill(version.user, request, version, "user") },
    ],
    versionId: version.versionId,
    versionNumber: version.versionNumber,
    language: version.language,
    parameters: { ...version.parameters },
    modelRole: prompt.modelRole,
    outputSchemaName: prompt.outputSchemaName,
    source: snapshot.source,
  };
  if (version.language !== requested) rendered.fallbackFrom = requested;
  return rendered;
}

function pickVersion(languages: Map<string, CachedPromptVersion>, requested: string): CachedPromptVersion | undefined {
  const primary = requested.split("-")[0] ?? requested;
  return languages.get(requested) ?? languages.get(primary) ?? languages.get(FALLBACK_LANGUAGE);
}

function fill(
  parts: TemplatePart[],
  request: RenderPromptRequest,
  version: CachedPromptVersion,
  part: "system" | "user",
): string {
  try {
    return renderTemplate(parts, request.variables, "strict");
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw new AppError(
      500,
      "prompt_render_failed",
      `Rendering the ${part} message of prompt ${request.key} (${version.language}) failed: ${error.message}`,
      {
        key: request.key,
        language: version.language,
        versionId: version.versionId,
        part,
        variable: error.variable,
        line: error.line,
        column: error.column,
      },
    );
  }
}

/**
 * Render texts that are not in the cache, such as a draft in the editor's preview. Safe mode
 * leaves unknown placeholders visible instead of throwing.
 */
export function renderPromptContent(
  content: { systemText: string; userTemplate: string },
  variables: TemplateValues,
  mode: "strict" | "safe" = "strict",
): PromptMessages {
  return [
    { role: "system", content: renderTemplate(parseTemplate(content.systemText), variables, mode) },
    { role: "user", content: renderTemplate(parseTemplate(content.userTemplate), variables, mode) },
  ];
}
