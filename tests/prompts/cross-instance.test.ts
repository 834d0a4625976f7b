import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { getEnv } from "@/lib/env";
import { loadPromptCache, PromptCache } from "@/lib/prompts/cache";
import { importPromptFiles } from "@/lib/prompts/file-sync";
import { defaultPromptsDir } from "@/lib/prompts/files";
import { publishPromptVersion, savePromptVersion } from "@/lib/prompts/store";
import { type PromptCacheSync, startPromptCacheSync } from "@/lib/prompts/sync";
import { createTestDatabase } from "@/lib/testing/database";
import { contentOf, latestVersionIdOf, publishedVersionIdOf, readShippedPrompts, waitFor } from "./support";

/** Maximum time from a committed publish to the other instance's reloaded cache, in milliseconds. */
const INVALIDATION_DEADLINE_MS = 1000;

interface InstanceEvent {
  event: string;
  versions?: Record<string, string | null>;
  versionId?: string;
}

/** The second instance: a separate Node process with its own connection and LISTEN session. */
class ChildInstance {
  readonly events: InstanceEvent[] = [];
  private readonly process: ChildProcessWithoutNullStreams;

  constructor(databaseUrl: string) {
    const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
    const script = path.join(import.meta.dirname, "fixtures", "prompt-instance.ts");
    this.process = spawn(tsx, [script, databaseUrl], { cwd: process.cwd(), env: process.env });
    readline.createInterface({ input: this.process.stdout }).on("line", (line) => {
      if (!line.startsWith('{"event"')) return;
      this.events.push(JSON.parse(line) as InstanceEvent);
    });
  }

  send(command: Record<string, string>): void {
    this.process.stdin.write(`${JSON.stringify(command)}\n`);
  }

  hasEvent(predicate: (event: InstanceEvent) => boolean): boolean {
    return this.events.some(predicate);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once("exit", resolve));
    this.send({ command: "exit" });
    await Promise.race([exited, waitFor(() => this.process.exitCode !== null, 10_000)]).catch(() => {
      this.process.kill();
    });
  }
}

describe.skipIf(!getEnv().TEST_DATABASE_URL)("prompt cache across instances [postgres]", () => {
  let handle: DatabaseHandle;
  let cache: PromptCache;
  let sync: PromptCacheSync;
  let child: ChildInstance;

  beforeAll(async () => {
    handle = await createTestDatabase("postgres");
    await importPromptFiles(handle.db, { dir: defaultPromptsDir });
    cache = new PromptCache();
    await loadPromptCache(handle.db, cache);
    // As in the child, a long check interval leaves the notification as the only fast path.
    sync = await startPromptCacheSync(handle, { cache, checkIntervalMs: 60_000 });

    if (!handle.url) throw new Error("the Postgres test handle has no URL");
    child = new ChildInstance(handle.url);
    await waitFor(() => child.hasEvent((event) => event.event === "ready"), 30_000);
  });

  afterAll(async () => {
    await child?.stop();
    await sync?.stop();
    await handle?.close();
  });

  it("reloads the other process within one second of a publish", async () => {
    const prompt = (await readShippedPrompts()).find((definition) => definition.key === "summarizer");
    if (!prompt) throw new Error("no summarizer prompt");
    const content = contentOf(prompt, "en");
    const live = await publishedVersionIdOf(handle.db, "summarizer", "en");
    const saved = await savePromptVersion(handle.db, {
      key: "summarizer",
      language: "en",
      ...content,
      userTemplate: `${content.userTemplate}\nCross-instance test.`,
      baseVersionId: await latestVersionIdOf(handle.db, "summarizer", "en"),
      actorId: null,
    });

    await publishPromptVersion(handle.db, {
      key: "summarizer",
      language: "en",
      versionId: saved.version.id,
      basePublishedVersionId: live,
      actorId: null,
    });
    const elapsed = await waitFor(
      () => child.hasEvent((event) => event.versions?.["summarizer:en"] === saved.version.id),
      INVALIDATION_DEADLINE_MS,
    );

    expect(elapsed).toBeLessThan(INVALIDATION_DEADLINE_MS);
  });

  it("reloads this process within one second of the other's publish", async () => {
    child.send({ command: "publish", key: "explainer", line: "Published by the other instance." });
    await waitFor(() => child.hasEvent((event) => event.event === "published"), 10_000);
    const published = child.events.find((event) => event.event === "published");

    const elapsed = await waitFor(
      () => cache.getVersion("explainer", "en")?.versionId === published?.versionId,
      INVALIDATION_DEADLINE_MS,
    );

    expect(published?.versionId).toBeDefined();
    expect(elapsed).toBeLessThan(INVALIDATION_DEADLINE_MS);
  });
});
