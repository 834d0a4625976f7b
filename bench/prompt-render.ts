/**
 * Benchmark: render each shipped prompt from the in-memory cache, as the pipeline and the chat do
 * on every model call. The cache is loaded from an in-memory PGlite database that is closed before
 * measuring, so the timings contain no file or database access. Prints one JSON document with the
 * median, p99 and mean time per render, in microseconds, for each prompt and language.
 *
 * Run: `npx tsx bench/prompt-render.ts [--iterations 20000]`
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/open";
import { loadPromptCache, PromptCache } from "@/lib/prompts/cache";
import { importPromptDefinitions } from "@/lib/prompts/file-sync";
import { defaultPromptsDir, readPromptDirectory } from "@/lib/prompts/files";
import type { PromptDefinition } from "@/lib/prompts/manifest";
import { renderPrompt } from "@/lib/prompts/render";

const WARM_UP_RENDERS = 2000;

interface CaseResult {
  key: string;
  language: string;
  renderedLanguage: string;
  renderedChars: number;
  iterations: number;
  medianMicros: number;
  p99Micros: number;
  meanMicros: number;
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

function round(micros: number): number {
  return Math.round(micros * 1000) / 1000;
}

function measure(cache: PromptCache, definition: PromptDefinition, language: string, iterations: number): CaseResult {
  const variables = Object.fromEntries(definition.variables.map((variable) => [variable.name, variable.sample]));
  const request = { key: definition.key, language, variables };

  for (let index = 0; index < WARM_UP_RENDERS; index++) renderPrompt(request, cache);

  const samples = new Float64Array(iterations);
  let rendered = renderPrompt(request, cache);
  for (let index = 0; index < iterations; index++) {
    const started = process.hrtime.bigint();
    rendered = renderPrompt(request, cache);
    samples[index] = Number(process.hrtime.bigint() - started) / 1000;
  }

  const sorted = Array.from(samples).sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    key: definition.key,
    language,
    renderedLanguage: rendered.language,
    renderedChars: rendered.messages[0].content.length + rendered.messages[1].content.length,
    iterations,
    medianMicros: round(percentile(sorted, 0.5)),
    p99Micros: round(percentile(sorted, 0.99)),
    meanMicros: round(total / iterations),
  };
}

async function main() {
  const { values } = parseArgs({ options: { iterations: { type: "string", default: "20000" } } });
  const iterations = Number.parseInt(values.iterations, 10);
  if (!Number.isInteger(iterations) || iterations < 100)
    throw new Error("--iterations must be a whole number of at least 100");

  const definitions = await readPromptDirectory(defaultPromptsDir);
  const database = await openDatabase({});
  const cache = new PromptCache();
  try {
    await importPromptDefinitions(database.db, definitions, { publish: true });
    await loadPromptCache(database.db, cache);
  } finally {
    await database.close();
  }

  const results: CaseResult[] = [];
  for (const definition of definitions) {
    // `de` has no version, so it measures the English fallback path.
    for (const language of ["en", "fr", "de"]) results.push(measure(cache, definition, language, iterations));
  }

  const report = {
    benchmark: "prompt-render",
    description: "renderPrompt() from the in-memory cache with each prompt's sample variables; times per render",
    unit: "microseconds",
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpuCount: os.cpus().length,
    date: new Date().toISOString(),
    results,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
