/**
 * Benchmark 5, second half (publish-to-visible delay): the time from calling publish on one
 * instance to the reloaded prompt cache of a second instance, a separate Node process with its own
 * Postgres connection and LISTEN session. Needs Postgres: TEST_DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/postgres; a temporary database is created there and dropped.
 *
 *   npx tsx bench/prompt-publish.ts [--samples 10]
 *
 * Prints JSON: the publish call's own duration and the publish-to-visible delay, median and max,
 * in milliseconds. The delay includes the publish transaction.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { openDatabase } from "@/db/open";
import { getLatestPromptVersion, getPromptPublication } from "@/db/queries/prompts";
import { getEnv } from "@/lib/env";
import { importPromptFiles } from "@/lib/prompts/file-sync";
import { defaultPromptsDir } from "@/lib/prompts/files";
import { publishPromptVersion, savePromptVersion } from "@/lib/prompts/store";
import { latencySummary } from "./support/stats";

const { values } = parseArgs({ options: { samples: { type: "string", default: "10" } }, strict: false });
const SAMPLES = Number(values.samples);
const PROMPT_KEY = "prioritizer";

async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `rankwise_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

function startSecondInstance(url: string) {
  const script = path.join(import.meta.dirname, "support", "prompt-instance.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, url], { stdio: ["pipe", "pipe", "inherit"] });
  const waiters: Array<{ versionId: string; resolve: (at: number) => void }> = [];
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => {
    ready = resolve;
  });
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const at = performance.now();
    if (!line.startsWith('{"event"')) return;
    const event = JSON.parse(line) as { event: string; versions?: string[] };
    if (event.event === "ready") ready();
    for (const waiter of [...waiters]) {
      if (!event.versions?.includes(waiter.versionId)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(at);
    }
  });
  return {
    ready: readyPromise,
    visible: (versionId: string) => new Promise<number>((resolve) => waiters.push({ versionId, resolve })),
    stop: () => {
      child.stdin.end();
      child.kill("SIGTERM");
    },
  };
}

async function main() {
  const adminUrl = getEnv().TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabase(adminUrl);
  const handle = await openDatabase({ url: database.url, poolMax: 2 });
  const instance = startSecondInstance(database.url);
  try {
    await importPromptFiles(handle.db, { dir: defaultPromptsDir });
    await instance.ready;
    const publishMs: number[] = [];
    const visibleMs: number[] = [];
    for (let sample = 0; sample < SAMPLES; sample++) {
      const latest = await getLatestPromptVersion(handle.db, { key: PROMPT_KEY, language: "en" });
      const live = await getPromptPublication(handle.db, { key: PROMPT_KEY, language: "en" });
      if (!latest) throw new Error(`the prompt ${PROMPT_KEY} has no English version`);
      const saved = await savePromptVersion(handle.db, {
        key: PROMPT_KEY,
        language: "en",
        systemText: latest.systemText,
        userTemplate: `${latest.userTemplate}\n`,
        parameters: latest.parameters,
        baseVersionId: latest.id,
        actorId: null,
      });
      const visible = instance.visible(saved.version.id);
      const startedAt = performance.now();
      await publishPromptVersion(handle.db, {
        key: PROMPT_KEY,
        language: "en",
        versionId: saved.version.id,
        basePublishedVersionId: live?.versionId ?? null,
        actorId: null,
      });
      publishMs.push(performance.now() - startedAt);
      visibleMs.push((await visible) - startedAt);
    }
    const publish = latencySummary(publishMs);
    const delay = latencySummary(visibleMs);
    const report = {
      benchmark: "prompt-publish",
      samples: SAMPLES,
      publishMedianMs: publish.p50,
      visibleMedianMs: delay.p50,
      visibleMaxMs: Math.max(...visibleMs),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    instance.stop();
    await handle.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
