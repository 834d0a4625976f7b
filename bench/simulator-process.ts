import { spawn } from "node:child_process";

/**
 * Start the model simulator (`scripts/sim.ts`) in a child process. Benchmarks keep it out of their
 * own process, because PGlite runs queries on the main thread and would delay the simulator's
 * latency timers, adding time that a remote model would not.
 */
export async function startSimulatorProcess(
  flags: Record<string, number>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const args = Object.entries({ port: 0, ...flags }).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/sim.ts", ...args], {
    cwd: process.cwd(),
    env: { ...process.env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  // A benchmark that crashes must not leave the simulator running.
  process.once("exit", () => child.kill("SIGTERM"));

  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/Model simulator on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match?.[1]) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`the simulator exited with code ${code} before listening`)));
  });

  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
