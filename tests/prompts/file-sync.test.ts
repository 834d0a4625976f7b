import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listPromptVersions } from "@/db/queries/prompts";
import { AppError } from "@/lib/errors";
import {
  exportPromptFiles,
  importPromptDefinitions,
  importPromptFiles,
  importPromptFilesIfEmpty,
} from "@/lib/prompts/file-sync";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import { publishPromptVersion, savePromptVersion } from "@/lib/prompts/store";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { contentOf, createTestPrompt, latestVersionIdOf, publishedVersionIdOf, readShippedPrompts } from "./support";

/** Read every file under a folder, keyed by its relative path. */
async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, absolute), await fs.readFile(absolute, "utf8"));
  }
  return files;
}

describeEachEngine("prompt file sync", (engine) => {
  let handle: DatabaseHandle;
  const temporaryDirs: string[] = [];

  async function makeTemporaryDir(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rankwise-prompts-"));
    temporaryDirs.push(dir);
    return dir;
  }

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    await importPromptFiles(handle.db, { dir: defaultPromptsDir });
  });

  afterEach(async () => {
    for (const dir of temporaryDirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    await handle.close();
  });

  it("exports the shipped files byte for byte", async () => {
    const exported = await makeTemporaryDir();

    await exportPromptFiles(handle.db, { dir: exported });
    const shippedTree = await readTree(defaultPromptsDir);
    const exportedTree = await readTree(exported);

    expect([...exportedTree.keys()].sort()).toEqual([...shippedTree.keys()].sort());
    for (const [file, text] of shippedTree) expect(exportedTree.get(file), file).toBe(text);
  });

  it("re-imports an export without new versions", async () => {
    const exported = await makeTemporaryDir();
    await exportPromptFiles(handle.db, { dir: exported });

    const summary = await importPromptFiles(handle.db, { dir: exported });

    expect(summary.versionsCreated).toEqual([]);
    expect(summary.published).toEqual([]);
    expect(summary.promptsUpdated).toEqual([]);
    expect(summary.liveUnchanged).toHaveLength(8);
  });

  it("round-trips through a second database", async () => {
    const exported = await makeTemporaryDir();
    const exportedAgain = await makeTemporaryDir();
    await exportPromptFiles(handle.db, { dir: exported });
    const second = await createTestDatabase(engine);

    try {
      await importPromptFiles(second.db, { dir: exported });
      await exportPromptFiles(second.db, { dir: exportedAgain });
    } finally {
      await second.close();
    }

    expect(await readTree(exportedAgain)).toEqual(await readTree(exported));
  });

  it("creates and publishes a version only for a changed file", async () => {
    const dir = await makeTemporaryDir();
    await exportPromptFiles(handle.db, { dir });
    const file = path.join(dir, "user", "summarizer_fr.txt");
    await fs.appendFile(file, "Sois concis.\n");

    const summary = await importPromptFiles(handle.db, { dir });
    const versions = await listPromptVersions(handle.db, { key: "summarizer", language: "fr" });

    expect(summary.versionsCreated).toEqual([{ key: "summarizer", language: "fr", versionNumber: 2 }]);
    expect(summary.published).toEqual([{ key: "summarizer", language: "fr", versionNumber: 2 }]);
    expect(await publishedVersionIdOf(handle.db, "summarizer", "fr")).toBe(versions[0]?.id);
  });

  it("leaves the live version alone without publish", async () => {
    const dir = await makeTemporaryDir();
    await exportPromptFiles(handle.db, { dir });
    const live = await publishedVersionIdOf(handle.db, "explainer", "en");
    await fs.appendFile(path.join(dir, "system", "explainer_en.txt"), "Be kind.\n");

    const summary = await importPromptFiles(handle.db, { dir, publish: false });

    expect(summary.versionsCreated).toEqual([{ key: "explainer", language: "en", versionNumber: 2 }]);
    expect(summary.published).toEqual([]);
    expect(await publishedVersionIdOf(handle.db, "explainer", "en")).toBe(live);
  });

  it("exports per-language parameters and re-imports them unchanged", async () => {
    const prompt = await createTestPrompt(handle.db, { publish: true });
    const french = contentOf(prompt, "fr");
    const live = await publishedVersionIdOf(handle.db, prompt.key, "fr");
    const saved = await savePromptVersion(handle.db, {
      key: prompt.key,
      language: "fr",
      ...french,
      parameters: { preset: "classification", overrides: {}, maxOutputTokens: 900 },
      baseVersionId: live,
      actorId: null,
    });
    await publishPromptVersion(handle.db, {
      key: prompt.key,
      language: "fr",
      versionId: saved.version.id,
      basePublishedVersionId: live,
      actorId: null,
    });
    const dir = await makeTemporaryDir();

    await exportPromptFiles(handle.db, { dir });
    const manifest = JSON.parse(await fs.readFile(path.join(dir, `${prompt.key}.json`), "utf8"));
    const summary = await importPromptFiles(handle.db, { dir });

    expect(manifest.languageParameters).toEqual({
      fr: { preset: "classification", overrides: {}, maxOutputTokens: 900 },
    });
    expect(summary.versionsCreated).toEqual([]);
  });

  it("rejects new variables that a language without files does not use", async () => {
    const prompt = await createTestPrompt(handle.db, { publish: true });
    const spanish = {
      ...contentOf(prompt, "en"),
      systemText: "Eres un asistente de producto. Responde en JSON.",
    };
    const saved = await savePromptVersion(handle.db, {
      key: prompt.key,
      language: "es",
      ...spanish,
      baseVersionId: null,
      actorId: null,
    });
    await publishPromptVersion(handle.db, {
      key: prompt.key,
      language: "es",
      versionId: saved.version.id,
      basePublishedVersionId: null,
      actorId: null,
    });
    const changed = structuredClone(prompt);
    changed.variables.push({ name: "tone", description: "Tone of voice.", sample: "friendly" });
    for (const content of Object.values(changed.languages)) content.userTemplate += "\nTone: $tone\n";

    let caught: unknown;
    try {
      await importPromptDefinitions(handle.db, [changed], { publish: true });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toContain("published es version");
    expect((caught as AppError).message).toContain("$tone");
    expect(await latestVersionIdOf(handle.db, prompt.key, "en")).toBe(
      await publishedVersionIdOf(handle.db, prompt.key, "en"),
    );
  });

  it("imports into an empty database only once", async () => {
    const definitions = await readShippedPrompts();
    const empty = await createTestDatabase(engine);

    try {
      const first = await importPromptFilesIfEmpty(empty.db, definitions);
      const second = await importPromptFilesIfEmpty(empty.db, definitions);

      expect(first?.published).toHaveLength(8);
      expect(second).toBeNull();
    } finally {
      await empty.close();
    }
  });

  it("reads back what it wrote", async () => {
    const dir = await makeTemporaryDir();
    await exportPromptFiles(handle.db, { dir });

    const definitions = await readPromptDirectory(dir);

    expect(definitions.map((definition) => definition.key)).toContain("prioritizer");
  });
});
