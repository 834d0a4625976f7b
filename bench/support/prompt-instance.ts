/**
 * Second app instance of the prompt publish benchmark: opens the Postgres database given as
 * argument, loads the prompt cache, keeps it in sync as the app does, and writes one JSON line to
 * stdout per cache reload with the version id of every published prompt language.
 */
import { openDatabase } from "@/db/open";
import { loadPromptCache, PromptCache, type PromptCacheSnapshot } from "@/lib/prompts/cache";
import { startPromptCacheSync } from "@/lib/prompts/sync";

const url = process.argv[2];
if (!url) throw new Error("usage: prompt-instance.ts <postgres url>");

function versionsOf(snapshot: PromptCacheSnapshot): string[] {
  const versions: string[] = [];
  for (const prompt of snapshot.prompts.values()) {
    for (const version of prompt.languages.values()) if (version.versionId) versions.push(version.versionId);
  }
  return versions;
}

const handle = await openDatabase({ url, poolMax: 2, migrate: false });
const cache = new PromptCache();
cache.subscribe((snapshot) =>
  process.stdout.write(`${JSON.stringify({ event: "reloaded", versions: versionsOf(snapshot) })}\n`),
);
await loadPromptCache(handle.db, cache);
// A long check interval, so the measured delay is the notification path's, not a periodic check.
await startPromptCacheSync(handle, { cache, checkIntervalMs: 600_000 });
process.stdout.write(`${JSON.stringify({ event: "ready" })}\n`);
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
