import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Standalone benchmark scripts that the runner starts as child processes, each once per
 * repetition. Each prints one JSON document on stdout. Scripts that are missing from the checkout
 * are skipped, so the runner works while a benchmark is being written.
 */
export interface ScriptBenchmark {
  /** File name in bench/, without `.ts`. */
  name: string;
  args: string[];
  /** Description of the measurement, for the report. */
  description: string;
  /** Maximum time of one run, in milliseconds. */
  timeoutMs: number;
}

export const scriptBenchmarks: ScriptBenchmark[] = [
  {
    name: "fanout",
    args: [],
    description: "one run of 8 batches at 1.5 s per model request, concurrency 8 against concurrency 1",
    timeoutMs: 120_000,
  },
  {
    name: "prompt-render",
    args: ["--iterations", "20000"],
    description: "renderPrompt() from the in-memory cache, each shipped prompt in en, fr and de (fallback)",
    timeoutMs: 120_000,
  },
  {
    name: "prompt-publish",
    args: ["--samples", "10"],
    description: "publish on one instance until a second process has reloaded its prompt cache (Postgres)",
    timeoutMs: 120_000,
  },
  {
    name: "repair-throughput",
    args: ["--seconds", "2"],
    description: "parse, repair and validate a 2 KB prioritization answer, clean and broken",
    timeoutMs: 60_000,
  },
  {
    name: "chat-ttft",
    args: ["--requests", "100", "--concurrency", "1,50"],
    description: "chat handler without Next.js: time to first token minus the simulator's",
    timeoutMs: 180_000,
  },
  {
    name: "run-start",
    args: ["--no-build"],
    description: "POST /api/v1/runs on the production server while the model answers after 3 s",
    timeoutMs: 300_000,
  },
];

const benchDir = path.resolve(import.meta.dirname, "..");

export function scriptExists(benchmark: ScriptBenchmark): boolean {
  return fs.existsSync(path.join(benchDir, `${benchmark.name}.ts`));
}

/** Run one benchmark script and return the JSON document it printed. */
export function runScript(benchmark: ScriptBenchmark): Promise<Record<string, unknown>> {
  const script = path.join(benchDir, `${benchmark.name}.ts`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...benchmark.args], {
      cwd: path.resolve(benchDir, ".."),
      // The runner already holds the build lock; scripts that take it themselves must not wait for it.
      env: { ...process.env, RANKWISE_BUILD_LOCK_HELD: "1", LOG_LEVEL: "error" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), benchmark.timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`bench/${benchmark.name}.ts exited with ${code ?? "a signal"}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(lastJsonDocument(stdout)) as Record<string, unknown>);
      } catch {
        reject(new Error(`bench/${benchmark.name}.ts printed no JSON document:\n${stdout.slice(-2000)}`));
      }
    });
  });
}

/** Return the last top-level JSON object of a script's output, skipping log lines printed before it. */
function lastJsonDocument(output: string): string {
  const start = output.lastIndexOf("\n{\n");
  if (start >= 0) return output.slice(start + 1);
  return output.slice(output.indexOf("{"));
}

/** Numeric leaves of a JSON document by dotted path (`results.0.medianMicros`). */
export function numericLeaves(value: unknown, prefix = ""): Map<string, number> {
  const leaves = new Map<string, number>();
  if (typeof value === "number" && Number.isFinite(value)) {
    leaves.set(prefix, value);
  } else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      for (const [leaf, number] of numericLeaves(child, prefix ? `${prefix}.${key}` : key)) leaves.set(leaf, number);
    }
  }
  return leaves;
}
