/**
 * `npm run bench`: every benchmark, each repeated (3 times by default), then `docs/benchmarks.md`
 * regenerated with the method, the machine, the date and the figures. Takes the shared build lock
 * for the whole run, builds the app once, and serves it once for the server benchmarks; the other
 * benchmarks run as child processes (each also runs alone, see the header of each file).
 *
 *   npm run bench -- [--runs 3] [--skip-build] [--only critical-path,fanout,...] [--no-write]
 *
 * With `--only`, the page is written only when `--write` is given, so a partial run does not
 * replace the full figures.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { measureChatStreaming, STREAMING_LEVELS, type StreamingLevel } from "./chat-streaming";
import { AI_LOAD, CRITICAL_PATH_LOAD, type CriticalPathRepetition, measureCriticalPath } from "./critical-path";
import { measureSdkOverhead, SDK_PAIRS, type SdkOverheadRepetition } from "./sdk-overhead";
import {
  buildReportRows,
  describeMethod,
  describeMissedTargets,
  describeScriptSections,
  type RunResults,
} from "./support/figures";
import { describeMachine, renderReport } from "./support/report";
import { runScript, scriptBenchmarks, scriptExists } from "./support/scripts";
import { holdBuildLock } from "./support/server";
import { SERVER_LATENCY, withBenchServer } from "./support/standalone";
import { formatFigure } from "./support/stats";

const serverBenchmarks = ["critical-path", "chat-streaming", "sdk-overhead"] as const;

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "3" },
      "skip-build": { type: "boolean", default: false },
      only: { type: "string" },
      write: { type: "boolean" },
      "no-write": { type: "boolean", default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a whole number of at least 1");
  const only = values.only ? new Set(values.only.split(",").map((name) => name.trim())) : undefined;
  const write = values["no-write"] ? false : (values.write ?? only === undefined);
  return { runs, skipBuild: values["skip-build"], only, write };
}

async function runServerBenchmarks(options: ReturnType<typeof readOptions>, results: RunResults): Promise<void> {
  const selected = serverBenchmarks.filter((name) => !options.only || options.only.has(name));
  if (selected.length === 0) return;

  log(options.skipBuild ? "reusing the current .next build" : "building the app (next build)");
  await withBenchServer({ skipBuild: options.skipBuild }, async (context) => {
    log(`server up at ${context.server.url}, simulator at ${context.server.simulatorUrl}`);
    for (let repetition = 1; repetition <= options.runs; repetition++) {
      if (selected.includes("critical-path")) {
        log(`critical path under AI load, repetition ${repetition}`);
        results.criticalPath.push(await measureCriticalPath(context));
      }
      if (selected.includes("chat-streaming")) {
        log(`streaming overhead at ${STREAMING_LEVELS.join(", ")} chats, repetition ${repetition}`);
        results.streaming.push(await measureChatStreaming(context));
      }
      if (selected.includes("sdk-overhead")) {
        log(`overhead against the bare SDK, ${SDK_PAIRS} pairs, repetition ${repetition}`);
        results.sdkOverhead.push(await measureSdkOverhead(context));
      }
    }
  });
}

async function runScriptBenchmarks(options: ReturnType<typeof readOptions>, results: RunResults): Promise<void> {
  for (const benchmark of scriptBenchmarks) {
    if (options.only && !options.only.has(benchmark.name)) continue;
    if (!scriptExists(benchmark)) {
      log(`bench/${benchmark.name}.ts is not in this checkout; skipped`);
      continue;
    }
    const documents: Record<string, unknown>[] = [];
    for (let repetition = 1; repetition <= options.runs; repetition++) {
      log(`${benchmark.name}, repetition ${repetition}`);
      try {
        documents.push(await runScript(benchmark));
      } catch (error) {
        results.failures.push(`${benchmark.name}: ${(error as Error).message.split("\n")[0]}`);
        log(`${benchmark.name} failed: ${(error as Error).message}`);
        break;
      }
    }
    results.scripts.set(benchmark.name, documents);
  }
}

async function main(): Promise<void> {
  holdBuildLock();
  const options = readOptions();
  const startedAt = Date.now();
  const machine = describeMachine();
  const results: RunResults = {
    criticalPath: [] as CriticalPathRepetition[],
    streaming: [] as StreamingLevel[][],
    sdkOverhead: [] as SdkOverheadRepetition[],
    scripts: new Map(),
    failures: [],
  };

  await runServerBenchmarks(options, results);
  await runScriptBenchmarks(options, results);

  const rows = buildReportRows(results);
  for (const row of rows) {
    let verdict = "";
    if (row.met === true) verdict = "  [target met]";
    if (row.met === false) verdict = "  [target NOT met]";
    process.stdout.write(
      `${row.benchmark} | ${row.measure}: ${formatFigure(row.figure, row.digits ?? 1)} ${row.unit}${verdict}\n`,
    );
  }
  for (const failure of results.failures) process.stdout.write(`FAILED ${failure}\n`);

  if (options.write) {
    const page = renderReport({
      date: new Date(),
      machine,
      runs: options.runs,
      durationSeconds: (Date.now() - startedAt) / 1000,
      method: describeMethod({ latency: SERVER_LATENCY, load: CRITICAL_PATH_LOAD, aiLoad: AI_LOAD }),
      rows,
      sections: [describeMissedTargets(rows), ...describeScriptSections(results)],
    });
    const target = path.resolve(import.meta.dirname, "..", "docs", "benchmarks.md");
    fs.writeFileSync(target, page);
    log(`wrote ${path.relative(process.cwd(), target)}`);
  }
  log(`done in ${Math.round((Date.now() - startedAt) / 1000)} s`);
  process.exit(results.failures.length > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
