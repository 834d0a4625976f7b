import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { getLatestPromptVersion, getPromptPublication } from "@/db/queries/prompts";
import { insertUser } from "@/db/queries/users";
import { importPromptDefinitions } from "@/lib/prompts/file-sync";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import type { PromptContent, PromptDefinition } from "@/lib/prompts/manifest";

let shipped: Promise<PromptDefinition[]> | undefined;

/** Read the prompts under prompts/ once per test file. */
export function readShippedPrompts(): Promise<PromptDefinition[]> {
  shipped ??= readPromptDirectory(defaultPromptsDir);
  return shipped;
}

/**
 * Import a copy of the shipped `generator` prompt under a fresh key, so each test works on its
 * own prompt in a shared database. With `publish: false` the versions exist but nothing is live.
 */
export async function createTestPrompt(db: Db, options: { publish: boolean }): Promise<PromptDefinition> {
  const source = (await readShippedPrompts()).find((definition) => definition.key === "generator");
  if (!source) throw new Error("prompts/generator.json is missing");
  const definition: PromptDefinition = { ...structuredClone(source), key: `test_${randomBytes(4).toString("hex")}` };
  await importPromptDefinitions(db, [definition], { publish: options.publish });
  return definition;
}

export function contentOf(definition: PromptDefinition, language: string): PromptContent {
  const content = definition.languages[language];
  if (!content) throw new Error(`prompt ${definition.key} has no ${language} content`);
  return structuredClone(content);
}

export async function createTestUser(db: Db, name = "Editor"): Promise<string> {
  const row = await insertUser(db, {
    email: `${name.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com`,
    name,
    passwordHash: "not-used",
    role: "editor",
  });
  return row.id;
}

export async function latestVersionIdOf(db: Db, key: string, language: string): Promise<string | null> {
  return (await getLatestPromptVersion(db, { key, language }))?.id ?? null;
}

export async function publishedVersionIdOf(db: Db, key: string, language: string): Promise<string | null> {
  return (await getPromptPublication(db, { key, language }))?.versionId ?? null;
}

/** Wait until `condition` holds, polling every few milliseconds; throws at the deadline. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}
