import fs from "node:fs/promises";
import path from "node:path";
import { formatJsonDocument } from "./json-format";
import {
  FALLBACK_LANGUAGE,
  type PromptContent,
  type PromptDefinition,
  type PromptManifest,
  parametersForLanguage,
  promptKeySchema,
  promptManifestSchema,
  toPromptManifest,
  toPromptVariables,
} from "./manifest";
import { normalizeParameterSettings } from "./parameters";
import { findPromptIssues, type PromptIssue } from "./validation";

/**
 * Prompt files: `<dir>/<key>.json` (the manifest), `<dir>/system/<key>_<lang>.txt` and
 * `<dir>/user/<key>_<lang>.txt`. Texts are read and written byte for byte, trailing newline
 * included, so an export followed by an import creates no new version.
 */
export const defaultPromptsDir = path.join(process.cwd(), "prompts");

export class PromptFilesError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid prompt files:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "PromptFilesError";
  }
}

// The key may contain underscores; the language tag never does, so the last underscore splits them.
const TEXT_FILE = /^(.+)_([a-z]{2,3}(?:-[a-z0-9]{2,8})*)\.txt$/;

/** Read and validate every prompt in a folder; throws `PromptFilesError` listing every problem. */
export async function readPromptDirectory(dir: string): Promise<PromptDefinition[]> {
  const problems: string[] = [];
  const manifests = await readManifests(dir, problems);
  const texts = await readTexts(dir, problems);

  for (const fileKey of texts.keys()) {
    if (!manifests.has(fileKey)) problems.push(`${relative(dir, "system", fileKey)}: no manifest ${fileKey}.json`);
  }

  const definitions: PromptDefinition[] = [];
  for (const [key, manifest] of manifests) {
    const definition = buildDefinition(dir, key, manifest, texts.get(key) ?? new Map(), problems);
    if (definition) definitions.push(definition);
  }

  if (problems.length > 0) throw new PromptFilesError(problems);
  return definitions;
}

async function readManifests(dir: string, problems: string[]): Promise<Map<string, PromptManifest>> {
  const manifests = new Map<string, PromptManifest>();
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith(".json")).sort();

  for (const name of names) {
    const key = name.slice(0, -".json".length);
    if (!promptKeySchema.safeParse(key).success) {
      problems.push(`${name}: invalid prompt key; use lower-case letters, digits and underscores`);
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await fs.readFile(path.join(dir, name), "utf8"));
    } catch (error) {
      problems.push(`${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const parsed = promptManifestSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${name}: ${issue.path.join(".")}: ${issue.message}`);
      continue;
    }
    manifests.set(key, parsed.data);
  }
  return manifests;
}

type TextFiles = Map<string, Map<string, { system?: string; user?: string }>>;

async function readTexts(dir: string, problems: string[]): Promise<TextFiles> {
  const texts: TextFiles = new Map();
  for (const part of ["system", "user"] as const) {
    const folder = path.join(dir, part);
    const names = await fs.readdir(folder).catch(() => [] as string[]);

    for (const name of names.sort()) {
      const match = TEXT_FILE.exec(name);
      if (!match?.[1] || !match[2]) {
        problems.push(`${part}/${name}: expected a name like <key>_<language>.txt, for example prioritizer_en.txt`);
        continue;
      }
      const [, key, language] = match;
      const byLanguage = texts.get(key) ?? new Map();
      texts.set(key, byLanguage);
      const entry = byLanguage.get(language) ?? {};
      byLanguage.set(language, entry);
      entry[part] = stripByteOrderMark(await fs.readFile(path.join(folder, name), "utf8"));
    }
  }
  return texts;
}

function stripByteOrderMark(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

function buildDefinition(
  dir: string,
  key: string,
  manifest: PromptManifest,
  languages: Map<string, { system?: string; user?: string }>,
  problems: string[],
): PromptDefinition | undefined {
  const variables = toPromptVariables(manifest);
  const declared = variables.map((variable) => variable.name);
  const contents: Record<string, PromptContent> = {};
  const before = problems.length;

  if (!languages.has(FALLBACK_LANGUAGE)) {
    problems.push(
      `${key}: no ${FALLBACK_LANGUAGE} texts; every prompt needs them because other languages fall back to them`,
    );
  }
  for (const language of Object.keys(manifest.languageParameters ?? {})) {
    if (!languages.has(language)) problems.push(`${key}.json: languageParameters.${language} has no texts`);
  }

  for (const [language, { system, user }] of [...languages].sort(([a], [b]) => a.localeCompare(b))) {
    if (system === undefined) problems.push(`${relative(dir, "system", key, language)}: missing`);
    if (user === undefined) problems.push(`${relative(dir, "user", key, language)}: missing`);
    if (system === undefined || user === undefined) continue;

    const content = {
      systemText: system,
      userTemplate: user,
      parameters: normalizeParameterSettings(parametersForLanguage(manifest, language)),
    };
    for (const issue of findPromptIssues(content, declared)) {
      problems.push(`${fileOfIssue(dir, key, language, issue.field)}: ${issue.message}`);
    }
    contents[language] = content;
  }

  if (problems.length > before) return undefined;
  return {
    key,
    description: manifest.description,
    modelRole: manifest.modelRole,
    outputSchema: manifest.outputSchema,
    variables,
    languages: contents,
  };
}

function fileOfIssue(dir: string, key: string, language: string, field: PromptIssue["field"]): string {
  if (field === "systemText") return relative(dir, "system", key, language);
  if (field === "userTemplate") return relative(dir, "user", key, language);
  return `${key}.json`;
}

function relative(dir: string, part: "system" | "user", key: string, language?: string): string {
  const name = language ? `${key}_${language}.txt` : `${key}_*.txt`;
  return path.join(path.basename(dir), part, name);
}

/** Write prompts as files, creating the folders; returns the paths written. */
export async function writePromptDirectory(dir: string, definitions: PromptDefinition[]): Promise<string[]> {
  const written: string[] = [];
  await fs.mkdir(path.join(dir, "system"), { recursive: true });
  await fs.mkdir(path.join(dir, "user"), { recursive: true });

  for (const definition of definitions) {
    const manifestPath = path.join(dir, `${definition.key}.json`);
    await fs.writeFile(manifestPath, formatJsonDocument(toPromptManifest(definition)));
    written.push(manifestPath);

    for (const [language, content] of Object.entries(definition.languages)) {
      const systemPath = path.join(dir, "system", `${definition.key}_${language}.txt`);
      const userPath = path.join(dir, "user", `${definition.key}_${language}.txt`);
      await fs.writeFile(systemPath, content.systemText);
      await fs.writeFile(userPath, content.userTemplate);
      written.push(systemPath, userPath);
    }
  }
  return written;
}
