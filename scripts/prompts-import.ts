/**
 * `npm run prompts:import`: load the prompt files into the configured database (DATABASE_URL, else
 * the PGlite folder PGLITE_DATA_DIR). A language gets a new version only when its files match no
 * existing version, and the matching or new version is published unless `--no-publish` is given.
 * Running instances reload their prompt cache when the import commits.
 *
 * Options: `--dir <folder>` (default prompts/), `--no-publish`.
 */
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase } from "@/db";
import { logger } from "@/lib/logger";
import { type ImportedLanguage, importPromptFiles } from "@/lib/prompts/file-sync";
import { defaultPromptsDir } from "@/lib/prompts/files";

async function main() {
  const { values } = parseArgs({
    options: { dir: { type: "string", default: defaultPromptsDir }, "no-publish": { type: "boolean", default: false } },
  });
  const { db, engine } = await getDatabase();

  const summary = await importPromptFiles(db, { dir: values.dir, publish: !values["no-publish"] });
  logger.info(
    {
      engine,
      dir: values.dir,
      promptsUpdated: summary.promptsUpdated,
      versionsCreated: formatImported(summary.versionsCreated),
      published: formatImported(summary.published),
      liveUnchanged: summary.liveUnchanged.length,
    },
    `prompt files imported: ${summary.versionsCreated.length} new versions, ${summary.published.length} published`,
  );
  await closeDatabase();
}

function formatImported(entries: ImportedLanguage[]): string[] {
  return entries.map((entry) => `${entry.key}:${entry.language} v${entry.versionNumber}`);
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});
