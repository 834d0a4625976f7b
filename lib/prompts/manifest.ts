import { createHash } from "node:crypto";
import { z } from "zod";
import { type OutputSchemaName, outputSchemaNames } from "@/lib/tasks/schemas";
import { normalizeParameterSettings, type ParameterSettings, parameterSettingsSchema } from "./parameters";

/** Language every prompt must have, and the one a missing language falls back to. */
export const FALLBACK_LANGUAGE = "en";

export const modelRoles = ["fast", "smart"] as const;
export type ModelRole = (typeof modelRoles)[number];

/** Prompt keys are file names too, so they stay lower-case ASCII. */
export const promptKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, "expected lower-case letters, digits and underscores, such as prioritizer");

/** Lower-case BCP 47 tag such as `en`, `fr` or `pt-br`; no underscore, because file names use it as separator. */
export const languageSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, "expected a lower-case language tag such as en, fr or pt-br");

export const variableNameSchema = z
  .string()
  .regex(/^[_a-zA-Z][_a-zA-Z0-9]*$/, "expected a template identifier: ASCII letters, digits and underscores");

export const promptVariableSchema = z.strictObject({
  description: z.string().trim().min(1).max(500),
  /** Any JSON value; objects and arrays render as JSON, as they would at run time. */
  sample: z.json(),
});
export type PromptVariableDeclaration = z.infer<typeof promptVariableSchema>;

/** A declared variable as the database stores it, in manifest order. */
export interface PromptVariable extends PromptVariableDeclaration {
  name: string;
}

/** Content of `prompts/<key>.json`. */
export const promptManifestSchema = z.strictObject({
  description: z.string().trim().min(1).max(1000),
  modelRole: z.enum(modelRoles),
  /** Name in `lib/tasks/schemas.ts`; null when the model output is free text. */
  outputSchema: z.enum(outputSchemaNames as [OutputSchemaName, ...OutputSchemaName[]]).nullable(),
  parameters: parameterSettingsSchema,
  /** Parameters of the languages whose settings differ from `parameters`. */
  languageParameters: z.record(languageSchema, parameterSettingsSchema).optional(),
  variables: z.record(variableNameSchema, promptVariableSchema),
});
export type PromptManifest = z.infer<typeof promptManifestSchema>;

/** One language of a prompt: the texts and parameters that a version stores. */
export interface PromptContent {
  systemText: string;
  userTemplate: string;
  parameters: ParameterSettings;
}

/** Everything about one prompt key: what the manifest declares and each language's content. */
export interface PromptDefinition {
  key: string;
  description: string;
  modelRole: ModelRole;
  outputSchema: OutputSchemaName | null;
  variables: PromptVariable[];
  languages: Record<string, PromptContent>;
}

export function toPromptVariables(manifest: PromptManifest): PromptVariable[] {
  return Object.entries(manifest.variables).map(([name, declaration]) => ({ name, ...declaration }));
}

/** Parameters of one language: its own entry, else the manifest's shared settings. */
export function parametersForLanguage(manifest: PromptManifest, language: string): ParameterSettings {
  return manifest.languageParameters?.[language] ?? manifest.parameters;
}

/**
 * Build a manifest from a definition. The parameters of English (or of the first language when
 * English is absent) become the shared `parameters`; other languages are listed only when they differ.
 */
export function toPromptManifest(definition: PromptDefinition): PromptManifest {
  const languages = Object.keys(definition.languages).sort();
  const primaryLanguage = languages.includes(FALLBACK_LANGUAGE) ? FALLBACK_LANGUAGE : languages[0];
  const shared = primaryLanguage ? definition.languages[primaryLanguage]?.parameters : undefined;
  if (!shared) throw new Error(`Prompt ${definition.key} has no language to export.`);

  const languageParameters: Record<string, ParameterSettings> = {};
  for (const language of languages) {
    const parameters = definition.languages[language]?.parameters;
    if (parameters && JSON.stringify(parameters) !== JSON.stringify(shared)) languageParameters[language] = parameters;
  }

  const manifest: PromptManifest = {
    description: definition.description,
    modelRole: definition.modelRole,
    outputSchema: definition.outputSchema,
    parameters: shared,
    variables: Object.fromEntries(
      definition.variables.map(({ name, description, sample }) => [name, { description, sample }]),
    ),
  };
  if (Object.keys(languageParameters).length > 0) {
    // Insert before `variables`, so exported files keep the order of the schema.
    const { variables, ...rest } = manifest;
    return { ...rest, languageParameters, variables };
  }
  return manifest;
}

/** SHA-256 (hex) identifying a version's content; equal content from files and editors hashes the same. */
export function hashPromptContent(content: PromptContent): string {
  const canonical = JSON.stringify([
    content.systemText,
    content.userTemplate,
    normalizeParameterSettings(content.parameters),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}
