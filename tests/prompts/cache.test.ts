import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openDatabase } from "@/db/open";
import { AppError } from "@/lib/errors";
import { loadPromptCache, PromptCache } from "@/lib/prompts/cache";
import { startPromptEngine } from "@/lib/prompts/engine";
import { importPromptFiles } from "@/lib/prompts/file-sync";
import { defaultPromptsDir } from "@/lib/prompts/files";
import { renderPrompt } from "@/lib/prompts/render";
import { publishPromptVersion, savePromptVersion } from "@/lib/prompts/store";
import { startPromptCacheSync } from "@/lib/prompts/sync";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import {
  contentOf,
  createTestPrompt,
  latestVersionIdOf,
  publishedVersionIdOf,
  readShippedPrompts,
  waitFor,
} from "./support";

const summarizerVariables = { theme: "Export", feedback: [{ id: "AF001", text: "PDF please" }] };

/** Save and publish an edited English version; returns the new version id. */
async function publishEdit(handle: DatabaseHandle, key: string, line: string): Promise<string> {
  const prompt = (await readShippedPrompts()).find((definition) => definition.key === key);
  if (!prompt) throw new Error(`no prompt ${key}`);
  const live = await publishedVersionIdOf(handle.db, key, "en");
  const content = contentOf(prompt, "en");
  const saved = await savePromptVersion(handle.db, {
    key,
    language: "en",
    ...content,
    userTemplate: `${content.userTemplate}\n${line}`,
    baseVersionId: await latestVersionIdOf(handle.db, key, "en"),
    actorId: null,
  });
  await publishPromptVersion(handle.db, {
    key,
    language: "en",
    versionId: saved.version.id,
    basePublishedVersionId: live,
    actorId: null,
  });
  return saved.version.id;
}

/** Create a real pino logger that keeps its lines in memory. */
function createMemoryLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { log: pino({ level: "debug" }, stream), lines };
}

describeEachEngine("prompt cache", (engine) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    await importPromptFiles(handle.db, { dir: defaultPromptsDir });
  });

  afterAll(async () => {
    await handle.close();
  });

  describe("renderPrompt", () => {
    let cache: PromptCache;

    beforeAll(async () => {
      cache = new PromptCache();
      await loadPromptCache(handle.db, cache);
    });

    it("returns messages, version and settings", async () => {
      const rendered = renderPrompt({ key: "summarizer", language: "fr", variables: summarizerVariables }, cache);

      expect(rendered.messages.map((message) => message.role)).toEqual(["system", "user"]);
      expect(rendered.messages[1].content).toContain('[{"id":"AF001","text":"PDF please"}]');
      expect(rendered.versionId).toBe(await publishedVersionIdOf(handle.db, "summarizer", "fr"));
      expect(rendered.versionNumber).toBe(1);
      expect(rendered.language).toBe("fr");
      expect(rendered.fallbackFrom).toBeUndefined();
      expect(rendered.modelRole).toBe("fast");
      expect(rendered.outputSchemaName).toBe("feedback_summary");
      expect(rendered.parameters).toEqual({
        temperature: 0.4,
        topP: 0.6,
        frequencyPenalty: 0.1,
        presencePenalty: 0.15,
        maxOutputTokens: 1500,
      });
      expect(rendered.source).toBe("database");
    });

    it("falls back to English and records it", () => {
      const rendered = renderPrompt({ key: "summarizer", language: "de", variables: summarizerVariables }, cache);

      expect(rendered.language).toBe("en");
      expect(rendered.fallbackFrom).toBe("de");
    });

    it("uses the primary language of a regional tag", () => {
      const rendered = renderPrompt({ key: "summarizer", language: "fr_CA", variables: summarizerVariables }, cache);

      expect(rendered.language).toBe("fr");
      expect(rendered.fallbackFrom).toBe("fr-ca");
    });

    it("names a missing variable", () => {
      let caught: unknown;
      try {
        renderPrompt({ key: "summarizer", language: "en", variables: { theme: "Export" } }, cache);
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(AppError);
      expect((caught as AppError).code).toBe("prompt_render_failed");
      expect((caught as AppError).details?.variable).toBe("feedback");
      expect((caught as AppError).message).toContain("$feedback");
    });

    it("rejects an unknown key", () => {
      expect(() => renderPrompt({ key: "nope", language: "en", variables: {} }, cache)).toThrow(/nope/);
    });
  });

  it("renders after its database is closed", async () => {
    const other = await createTestDatabase(engine);
    const cache = new PromptCache();
    await importPromptFiles(other.db, { dir: defaultPromptsDir });
    await loadPromptCache(other.db, cache);
    await other.close();

    const rendered = renderPrompt({ key: "summarizer", language: "en", variables: summarizerVariables }, cache);

    expect(rendered.messages[0].content).toContain("JSON");
  });

  it("reloads on a publish notification", async () => {
    const cache = new PromptCache();
    await loadPromptCache(handle.db, cache);
    const sync = await startPromptCacheSync(handle, { cache, checkIntervalMs: 60_000 });

    try {
      const versionId = await publishEdit(handle, "generator", "Notification test.");
      const elapsed = await waitFor(() => cache.getVersion("generator", "en")?.versionId === versionId, 1000);

      expect(elapsed).toBeLessThan(1000);
    } finally {
      await sync.stop();
    }
  });

  it("reloads through the periodic check without notifications", async () => {
    const cache = new PromptCache();
    await loadPromptCache(handle.db, cache);
    const sync = await startPromptCacheSync(handle, { cache, checkIntervalMs: 50, listen: false });

    try {
      const versionId = await publishEdit(handle, "explainer", "Check test.");

      await waitFor(() => cache.getVersion("explainer", "en")?.versionId === versionId, 2000);
      expect(cache.snapshot?.source).toBe("database");
    } finally {
      await sync.stop();
    }
  });

  it("does not reload when nothing changed", async () => {
    const cache = new PromptCache();
    const loaded = await loadPromptCache(handle.db, cache);
    const sync = await startPromptCacheSync(handle, { cache, checkIntervalMs: 60_000, listen: false });

    try {
      await sync.check();

      expect(cache.snapshot).toBe(loaded);
    } finally {
      await sync.stop();
    }
  });

  it("imports files into an empty database at start-up", async () => {
    const empty = await createTestDatabase(engine);
    const cache = new PromptCache();

    try {
      const promptEngine = await startPromptEngine({ getHandle: async () => empty, cache });
      await promptEngine.stop();

      expect(promptEngine.source()).toBe("database");
      expect(cache.getVersion("prioritizer", "fr")?.versionNumber).toBe(1);
    } finally {
      await empty.close();
    }
  });

  it("keeps database versions at start-up when prompts exist", async () => {
    const cache = new PromptCache();
    const prompt = await createTestPrompt(handle.db, { publish: true });

    const promptEngine = await startPromptEngine({ getHandle: async () => handle, cache });
    await promptEngine.stop();

    expect(cache.getVersion(prompt.key, "en")?.versionId).toBe(await publishedVersionIdOf(handle.db, prompt.key, "en"));
  });
});

describe("startPromptEngine without a database", () => {
  it("serves the files and logs a warning", async () => {
    const cache = new PromptCache();
    const { log, lines } = createMemoryLogger();

    const promptEngine = await startPromptEngine({
      // Nothing listens on port 1 of the loopback interface, so the connection is refused.
      getHandle: () => openDatabase({ url: "postgres://postgres@127.0.0.1:1/rankwise" }),
      cache,
      checkIntervalMs: 60_000,
      log,
    });
    await promptEngine.stop();
    const rendered = renderPrompt({ key: "summarizer", language: "fr", variables: summarizerVariables }, cache);
    const warnings = lines.filter((line) => line.level === 40);

    expect(promptEngine.source()).toBe("files");
    expect(rendered.source).toBe("files");
    expect(rendered.versionId).toBeNull();
    expect(rendered.language).toBe("fr");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain("serving the prompt files");
  });

  it("switches to the database once it is reachable", async () => {
    const cache = new PromptCache();
    const { log } = createMemoryLogger();
    const database = await openDatabase({});
    let attempts = 0;

    try {
      const promptEngine = await startPromptEngine({
        getHandle: async () => {
          attempts += 1;
          if (attempts === 1) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
          return database;
        },
        cache,
        checkIntervalMs: 20,
        log,
      });
      const sourceAtStart = promptEngine.source();
      await waitFor(() => promptEngine.source() === "database", 5000);
      await promptEngine.stop();

      expect(sourceAtStart).toBe("files");
      expect(cache.getVersion("generator", "en")?.versionNumber).toBe(1);
    } finally {
      await database.close();
    }
  });
});
