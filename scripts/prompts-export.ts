/**
 * `npm run prompts:export`: write the published version of every prompt and language from the
 * configured database to the prompt files, so that editors' changes can be reviewed in git.
 * Files of prompts or languages without a published version are left as they are.
 *
 * Options: `--dir <folder>` (default prompts/).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase } from "@/db";
import { logger } from "@/lib/logger";
import { exportPromptFiles } from "@/lib/prompts/file-sync";
import { defaultPromptsDir } from "@/lib/prompts/files";

async function main() {
  const { values } = parseArgs({ options: { dir: { type: "string", default: defaultPromptsDir } } });
  const { db, engine } = await getDatabase();

  const written = await exportPromptFiles(db, { dir: values.dir });
  logger.info(
    { engine, dir: values.dir, files: written.map((file) => path.relative(process.cwd(), file)) },
    `prompt files exported: ${written.length} files written`,
  );
  await closeDatabase();
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await closeDatabase().catch(() => {});
  process.exit(1);
});
