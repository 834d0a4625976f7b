import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  type BenchServer,
  buildProductionApp,
  holdBuildLock,
  type PreparedData,
  prepareData,
  removeDataDir,
  type SimulatorLatency,
  startBenchServer,
} from "./server";

/**
 * Simulator latencies of the benchmark server: 300 ms to the first token, then 50 tokens a second,
 * about what a hosted gpt-4o-mini deployment shows. Every server benchmark states them.
 */
export const SERVER_LATENCY: SimulatorLatency = { ttftMs: 300, tokensPerSecond: 50, latencyMs: 0 };

export interface ServerContext {
  server: BenchServer;
  data: PreparedData;
  latency: SimulatorLatency;
}

/** Options shared by the benchmark scripts: `--runs N` repetitions and `--skip-build`. */
export function readCommonOptions(): { runs: number; skipBuild: boolean } {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "3" }, "skip-build": { type: "boolean", default: false } },
    strict: false,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a whole number of at least 1");
  return { runs, skipBuild: values["skip-build"] === true };
}

/** Build (unless skipped), start the benchmark server on fresh data, run `body`, then clean up. */
export async function withBenchServer<T>(
  options: { skipBuild: boolean },
  body: (context: ServerContext) => Promise<T>,
): Promise<T> {
  if (!options.skipBuild) buildProductionApp();
  const data = await prepareData();
  const server = await startBenchServer(data, SERVER_LATENCY);
  try {
    return await body({ server, data, latency: SERVER_LATENCY });
  } finally {
    await server.stop();
    removeDataDir(data);
  }
}

/** Entry point of a server benchmark run alone: take the build lock, run it, print its JSON. */
export function runServerBenchmarkAlone<T>(body: (context: ServerContext, runs: number) => Promise<T>): void {
  holdBuildLock();
  const options = readCommonOptions();
  withBenchServer(options, (context) => body(context, options.runs))
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/** True when the module of `moduleUrl` is the script Node was started with, not an import. */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(path.resolve(script)).href;
}
