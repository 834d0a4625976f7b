import type { StreamingLevel } from "../chat-streaming";
import type { CriticalPathRepetition } from "../critical-path";
import type { SdkOverheadRepetition } from "../sdk-overhead";
import type { ReportRow, ReportSection } from "./report";
import { numericLeaves, scriptBenchmarks } from "./scripts";
import type { SimulatorLatency } from "./server";
import { type Figure, formatFigure, median, toFigure } from "./stats";

/** Everything one `npm run bench` measured, one entry per repetition. */
export interface RunResults {
  criticalPath: CriticalPathRepetition[];
  streaming: StreamingLevel[][];
  sdkOverhead: SdkOverheadRepetition[];
  /** JSON documents printed by each script benchmark, by script name. */
  scripts: Map<string, Record<string, unknown>[]>;
  failures: string[];
}

type Document = Record<string, unknown>;

function read(document: Document, dottedPath: string): number {
  return numericLeaves(document).get(dottedPath) ?? Number.NaN;
}

function row(
  benchmark: string,
  measure: string,
  unit: string,
  values: number[],
  target?: { text: string; test: (median: number) => boolean },
  digits = 1,
): ReportRow {
  const figure: Figure = toFigure(values);
  return {
    benchmark,
    measure,
    unit,
    figure,
    target: target?.text ?? "",
    met: target && Number.isFinite(figure.median) ? target.test(figure.median) : undefined,
    digits,
  };
}

function criticalPathRows(repetitions: CriticalPathRepetition[]): ReportRow[] {
  if (repetitions.length === 0) return [];
  const name = "1. Critical path under AI load";
  const endpoints = [
    ["page", "backlog page"],
    ["ranking", "ranking API"],
  ] as const;
  return endpoints.flatMap(([key, label]) => [
    row(
      name,
      `${label}, idle, median`,
      "ms",
      repetitions.map((r) => r.idle[key].p50),
    ),
    row(
      name,
      `${label}, idle, p95`,
      "ms",
      repetitions.map((r) => r.idle[key].p95),
    ),
    row(
      name,
      `${label}, under load, median`,
      "ms",
      repetitions.map((r) => r.loaded[key].p50),
    ),
    row(
      name,
      `${label}, under load, p95`,
      "ms",
      repetitions.map((r) => r.loaded[key].p95),
      { text: "< 300 ms", test: (value) => value < 300 },
    ),
    row(
      name,
      `${label}, p95 under load ÷ idle p95`,
      "×",
      repetitions.map((r) => r.loaded[key].p95 / r.idle[key].p95),
      { text: "≤ 1.5×", test: (value) => value <= 1.5 },
      2,
    ),
  ]);
}

function fanoutRows(documents: Document[]): ReportRow[] {
  if (documents.length === 0) return [];
  const name = "2. Fan-out (8 batches × 1.5 s)";
  return [
    row(
      name,
      "concurrency 8, run time",
      "ms",
      documents.map((d) => read(d, "parallel.executionMs")),
      undefined,
      0,
    ),
    row(
      name,
      "concurrency 8, slowest batch",
      "ms",
      documents.map((d) => read(d, "parallel.slowestBatchMs")),
      undefined,
      0,
    ),
    row(
      name,
      "concurrency 1, run time",
      "ms",
      documents.map((d) => read(d, "serial.executionMs")),
      undefined,
      0,
    ),
    row(
      name,
      "concurrency 8 run time ÷ slowest batch",
      "×",
      documents.map((d) => read(d, "parallelToSlowestBatch")),
      { text: "≤ 1.1×", test: (value) => value <= 1.1 },
      2,
    ),
    row(
      name,
      "speed-up, concurrency 1 ÷ 8",
      "×",
      documents.map((d) => read(d, "speedup")),
      undefined,
      2,
    ),
  ];
}

function streamingRows(repetitions: StreamingLevel[][]): ReportRow[] {
  if (repetitions.length === 0) return [];
  const name = "3. Streaming overhead";
  const concurrencies = repetitions[0]?.map((level) => level.concurrency) ?? [];
  return concurrencies.flatMap((concurrency) => {
    const levels = repetitions.map((levelsOfRun) => levelsOfRun.find((level) => level.concurrency === concurrency));
    const pick = (key: keyof StreamingLevel) => levels.map((level) => (level ? level[key] : Number.NaN));
    const chats = concurrency === 1 ? "1 chat" : `${concurrency} chats`;
    return [
      row(name, `${chats}, added time to first token, median`, "ms", pick("addedP50Ms")),
      row(name, `${chats}, added time to first token, p95`, "ms", pick("addedP95Ms"), {
        text: "< 50 ms",
        test: (value) => value < 50,
      }),
      row(name, `${chats}, event-loop delay p99`, "ms", pick("loopDelayP99Ms"), {
        text: "< 50 ms",
        test: (value) => value < 50,
      }),
      row(name, `${chats}, server CPU time per question`, "ms", pick("serverCpuPerChatMs")),
    ];
  });
}

function sdkRows(repetitions: SdkOverheadRepetition[]): ReportRow[] {
  if (repetitions.length === 0) return [];
  const name = "4. Overhead against the bare SDK";
  const pick = (key: keyof SdkOverheadRepetition) => repetitions.map((repetition) => Number(repetition[key]));
  return [
    row(name, "time to first token, chat route", "ms", pick("routeTtftMs")),
    row(name, "time to first token, bare streamText", "ms", pick("bareTtftMs")),
    row(name, "time to first token, route ÷ bare (median of pairs)", "×", pick("ttftRatio"), undefined, 2),
    row(name, "total time, chat route", "ms", pick("routeTotalMs"), undefined, 0),
    row(name, "total time, bare streamText", "ms", pick("bareTotalMs"), undefined, 0),
    row(name, "total time, route ÷ bare (median of pairs)", "×", pick("totalRatio"), undefined, 2),
  ];
}

/** Per repetition, the median over prompts and languages of the median render time, and the worst p99. */
function promptRows(renders: Document[], publishes: Document[]): ReportRow[] {
  const name = "5. Prompt path";
  const cases = (document: Document) => (document.results as Array<{ medianMicros: number; p99Micros: number }>) ?? [];
  const rows: ReportRow[] = [];
  if (renders.length > 0) {
    rows.push(
      row(
        name,
        "render from cache, median",
        "µs",
        renders.map((d) => median(cases(d).map((c) => c.medianMicros))),
        undefined,
        2,
      ),
      row(
        name,
        "render from cache, p99 (slowest prompt)",
        "µs",
        renders.map((d) => Math.max(...cases(d).map((c) => c.p99Micros))),
        undefined,
        2,
      ),
    );
  }
  if (publishes.length > 0) {
    rows.push(
      row(
        name,
        "publish call",
        "ms",
        publishes.map((d) => read(d, "publishMedianMs")),
      ),
      row(
        name,
        "publish to visible on a second instance, median",
        "ms",
        publishes.map((d) => read(d, "visibleMedianMs")),
      ),
      row(
        name,
        "publish to visible on a second instance, max",
        "ms",
        publishes.map((d) => read(d, "visibleMaxMs")),
      ),
    );
  }
  return rows;
}

function repairRows(documents: Document[]): ReportRow[] {
  if (documents.length === 0) return [];
  const name = "6. Repair and validation (2 KB answer)";
  return [
    row(
      name,
      "clean answers",
      "per s",
      documents.map((d) => read(d, "cleanPerSecond")),
      undefined,
      0,
    ),
    row(
      name,
      "broken answers repaired in place",
      "per s",
      documents.map((d) => read(d, "brokenPerSecond")),
      undefined,
      0,
    ),
  ];
}

function memoryRows(repetitions: CriticalPathRepetition[]): ReportRow[] {
  if (repetitions.length === 0) return [];
  const name = "7. Server memory (RSS)";
  // Only the first repetition starts from a server at rest; later ones start after a load phase.
  return [
    row(name, "at rest, after start-up", "MiB", [repetitions[0]?.rssAtRestMiB ?? Number.NaN], undefined, 0),
    row(
      name,
      "at the end of benchmark 1's load phase",
      "MiB",
      repetitions.map((r) => r.rssAfterLoadMiB),
      undefined,
      0,
    ),
  ];
}

export function buildReportRows(results: RunResults): ReportRow[] {
  const documents = (name: string) => results.scripts.get(name) ?? [];
  return [
    ...criticalPathRows(results.criticalPath),
    ...fanoutRows(documents("fanout")),
    ...streamingRows(results.streaming),
    ...sdkRows(results.sdkOverhead),
    ...promptRows(documents("prompt-render"), documents("prompt-publish")),
    ...repairRows(documents("repair-throughput")),
    ...memoryRows(results.criticalPath),
  ];
}

export function describeMethod(params: {
  latency: SimulatorLatency;
  load: { connections: number; durationSeconds: number };
  aiLoad: { runs: number; chats: number; rampMs: number; settleMs: number };
}): string[] {
  const { latency, load, aiLoad } = params;
  return [
    "Server benchmarks (1, 3, 4, 7) run against a production build (`next build`, then `next start` on 127.0.0.1) with PGlite in a temporary folder. The database holds the demo workspace (60 items, 115 feedback snippets, embedded before measuring) and a second workspace of 1,000 items, every fourth item missing its RICE effort.",
    `The model is the simulator (\`scripts/sim.ts\`) in its own process, which the server reaches as an OpenAI-compatible server: ${latency.ttftMs} ms to the first token, then ${latency.tokensPerSecond} tokens per second, ${latency.latencyMs} ms added latency, no faults. The server runs with PIPELINE_WORKER_RUNS=20 and MODEL_CONCURRENCY=256, so runs and chats execute at once instead of queueing; other settings are the defaults.`,
    `Benchmark 1: autocannon with ${load.connections} connection${load.connections === 1 ? "" : "s"} for ${load.durationSeconds} s per endpoint, on the 1,000-item workspace's backlog page (session cookie) and \`GET /api/v1/workspaces/{id}/ranking\` (access token); latencies are computed from every response. "Under load" keeps ${aiLoad.runs} prioritization runs (20 items each, batches of 5, followed through their event streams) and ${aiLoad.chats} streaming chats in flight, each lane starting new work as soon as its previous run or chat ends. The lanes start spread over ${aiLoad.rampMs / 1000} s, and the measurement begins ${aiLoad.settleMs / 1000} s after the last one started. When an endpoint returns no response within the ${load.durationSeconds} s, its latency counts as ${load.durationSeconds * 1000} ms, a lower bound.`,
    "Benchmark 3: level 1 sends 30 questions one after the other and reads each answer only to its first token. Levels 50 and 200 keep that many chats in flight. They start spread over one answer's length, and each sends the next question as soon as its answer ends. Once all have started, as many questions as the level are timed. The client runs in a worker thread of the runner. Added time is the time to the first text chunk at the HTTP client minus the simulator's configured time to first token. The event-loop delay is read in the server process by `bench/support/probe.cjs` (preloaded with NODE_OPTIONS), over each level; so is the server's CPU time (user and system), divided by every question the level sent, untimed ones included. At level 1 each answer is cancelled after its first token, so its CPU figure covers the work before the first token and the cancellation; at 50 and 200 it covers whole answers.",
    "Benchmark 4: the bare path is one `streamText` call of `@ai-sdk/openai` on the same simulator with the exact messages the route sends, rebuilt from the route's conversation and streamed sources. Pairs alternate which path goes first, and the ratio is the median of the per-pair ratios.",
    "Benchmark 7: resident set size of the `next start` process, read by the probe once at rest (after start-up, before the first measurement) and at the end of each load phase of benchmark 1.",
    "Benchmarks 2, 5, 6 and the standalone scripts run as child processes of the runner; their methods are in the header of each file in `bench/`. The load generators and the server share the machine's cores, so the figures under load include the generators' own CPU use.",
  ];
}

/** Names an array element after its identifying fields (`prioritizer en`), else after its index. */
function labelElement(element: unknown, index: number): string {
  if (!element || typeof element !== "object") return String(index);
  const record = element as Record<string, unknown>;
  const parts = ["key", "name", "case", "language", "concurrency"]
    .map((field) => record[field])
    .filter((value) => typeof value === "string" || typeof value === "number");
  return parts.length > 0 ? parts.join(" ") : String(index);
}

/** Numeric leaves of a script's JSON document, with array elements named by `labelElement`. */
function labeledLeaves(value: unknown, prefix = ""): Map<string, number> {
  const leaves = new Map<string, number>();
  if (typeof value === "number" && Number.isFinite(value)) {
    leaves.set(prefix, value);
    return leaves;
  }
  if (!value || typeof value !== "object") return leaves;
  const entries = Array.isArray(value)
    ? value.map((element, index) => [`[${labelElement(element, index)}]`, element] as const)
    : Object.entries(value).map(([key, child]) => [key, child] as const);
  for (const [key, child] of entries) {
    const path = prefix ? `${prefix}${key.startsWith("[") ? "" : "."}${key}` : key;
    for (const [leaf, number] of labeledLeaves(child, path)) leaves.set(leaf, number);
  }
  return leaves;
}

/** Rows whose median misses its target, for the summary at the top of the page. */
export function describeMissedTargets(rows: ReportRow[]): ReportSection {
  const missed = rows.filter((row) => row.met === false);
  const context = [
    "",
    "Where the time goes under load, from one CPU profile of the server during benchmark 1's loaded phase (`BENCH_SERVER_NODE_ARGS=--cpu-prof`, 2 cores, 2026-12-05): the event loop was busy all the time. PGlite (its JavaScript and WebAssembly) took about 36 % of it, garbage collection 10 %, the promise hooks of AsyncLocalStorage on Node.js 20 about 9 %, web streams about 10 %. So the work of 20 runs and 50 chats alone exceeds one core, and every request waits behind it. The simulator and the load generators use the second core.",
    "",
    "The database work is spread thin. Timing each statement inside PGlite's lock over the 16 s of that phase counted about 440 statements per second, at about 1 ms each with the JavaScript around them, so about 0.7 of a core. The costliest were the vector searches of chats and runs (14 % of that time) and the run events with their lock and notification (13 %). No single query dominates.",
    "",
    "The chats are most of the load. A question costs the server about 40 ms of CPU before its first token and about 90 ms for the whole answer (benchmark 3). 50 chats in flight with 3 s answers ask about 16 questions per second, about 1.5 cores for one event loop. Meeting the targets therefore needs a few times less work per question, or several web processes on Postgres; tuning single queries will not do it. Merging the answer's text deltas before the AI SDK's stream stages, instead of after them, cut the CPU per question by about 10 % (A/B runs of benchmark 3 at 50 chats).",
    "",
    "Running PGlite in a worker thread was tried and made the loaded ranking API slower (median 2.0 s against 0.86 s in one repetition each). Each query then costs the request a turn of the saturated event loop, while PGlite in the server thread returns within the same turn.",
  ];
  const lines =
    missed.length === 0
      ? ["Every target is met on this machine."]
      : missed.map(
          (row) =>
            `- ${row.benchmark}, ${row.measure}: ${formatFigure(row.figure, row.digits ?? 1)} ${row.unit} (target ${row.target})`,
        );
  return { title: "Targets not met", lines: missed.length === 0 ? lines : [...lines, ...context] };
}

/** Sections for the script benchmarks: what each measured, and every number it printed. */
export function describeScriptSections(results: RunResults): ReportSection[] {
  const lines: string[] = [];
  for (const benchmark of scriptBenchmarks) {
    const documents = results.scripts.get(benchmark.name);
    if (!documents || documents.length === 0) continue;
    const description = `${benchmark.description.charAt(0).toUpperCase()}${benchmark.description.slice(1)}.`;
    lines.push(`### bench/${benchmark.name}.ts`, "", description, "");
    lines.push("| Figure | Median (range) |", "| --- | --- |");
    const paths = [...labeledLeaves(documents[0]).keys()];
    for (const leaf of paths) {
      const values = documents.map((document) => labeledLeaves(document).get(leaf) ?? Number.NaN);
      lines.push(`| \`${leaf}\` | ${formatFigure(toFigure(values), 2)} |`);
    }
    lines.push("");
  }
  const sections: ReportSection[] = [{ title: "Standalone benchmark scripts", lines }];
  if (results.failures.length > 0) {
    sections.push({ title: "Failures", lines: results.failures.map((failure) => `- ${failure}`) });
  }
  return sections;
}
