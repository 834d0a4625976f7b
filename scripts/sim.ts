import { parseArgs } from "node:util";
import { startSimulator } from "@/lib/ai/simulator";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";

/**
 * `npm run sim`: the model simulator as a standalone server on 127.0.0.1, for pointing a dev
 * server, a Playwright run or a benchmark at it. Flags override the SIMULATOR_* variables.
 */

const STANDALONE_DEFAULT_PORT = 4010;

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    seed: { type: "string" },
    "ttft-ms": { type: "string" },
    "tokens-per-second": { type: "string" },
    "latency-ms": { type: "string" },
    "fault-rate": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(`Usage: npm run sim -- [options]

Serves OpenAI (/v1/...) and Azure OpenAI (/openai/deployments/<name>/..., /openai/v1/...) chat
completions and embeddings on 127.0.0.1, with seeded answers and fault injection.

  --port N               port (default SIMULATOR_PORT, or ${STANDALONE_DEFAULT_PORT} when that is 0; 0 here picks a free port)
  --seed N               seed of answers and random faults (default SIMULATOR_SEED)
  --ttft-ms N            delay before the first token, in milliseconds
  --tokens-per-second N  output pace; 0 sends everything at once
  --latency-ms N         delay before any response starts, in milliseconds
  --fault-rate R         share of requests (0 to 1) with a random 429, 500 or 503`);
  process.exit(0);
}

function readNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) {
    console.error(`--${flag}: expected a non-negative number, got "${value}"`);
    process.exit(2);
  }
  return number;
}

async function main(): Promise<void> {
  const env = getEnv();
  const simulator = await startSimulator({
    host: "127.0.0.1",
    port: readNumber("port", values.port, env.SIMULATOR_PORT || STANDALONE_DEFAULT_PORT),
    seed: readNumber("seed", values.seed, env.SIMULATOR_SEED),
    ttftMs: readNumber("ttft-ms", values["ttft-ms"], env.SIMULATOR_TTFT_MS),
    tokensPerSecond: readNumber("tokens-per-second", values["tokens-per-second"], env.SIMULATOR_TOKENS_PER_SECOND),
    latencyMs: readNumber("latency-ms", values["latency-ms"], env.SIMULATOR_LATENCY_MS),
    faultRate: readNumber("fault-rate", values["fault-rate"], env.SIMULATOR_FAULT_RATE),
    onRequestEnd: (record) =>
      logger.info(
        {
          path: record.path,
          model: record.model,
          faults: record.faults,
          status: record.status,
          outcome: record.outcome,
          latencyMs: record.latencyMs,
        },
        "simulator request",
      ),
  });

  logger.info({ url: simulator.url }, "model simulator listening");
  console.log(`Model simulator on ${simulator.url}
  OpenAI-compatible: OPENAI_BASE_URL=${simulator.url}/v1
  Azure OpenAI:      AZURE_OPENAI_ENDPOINT=${simulator.url} (any key, any deployment names)
  Faults:            header x-sim-fault, model suffix ~fault, or POST ${simulator.url}/__sim/faults
  Request log:       GET ${simulator.url}/__sim/requests`);

  const stop = async (signal: string) => {
    logger.info({ signal }, "model simulator stopping");
    await simulator.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
