import { createGateway, type Gateway, type GatewayConfigInput } from "@/lib/ai";
import type { SimulatorHandle, SimulatorRequestRecord } from "@/lib/ai/simulator";

/** Small waits and caps so the fault suite stays fast; jitter is fixed at half the ceiling. */
export const fastPolicy = {
  backoffBaseMs: 40,
  backoffMaxMs: 200,
  maxRetries: 3,
  maxRetryWaitMs: 2_000,
  attemptTimeoutMs: 2_000,
  deadlineMs: 5_000,
  random: () => 0.5,
} satisfies Partial<GatewayConfigInput>;

export function createCompatibleGateway(
  simulator: SimulatorHandle,
  overrides: Partial<GatewayConfigInput> = {},
): Gateway {
  return createGateway({
    provider: {
      kind: "compatible",
      baseURL: `${simulator.url}/v1`,
      models: { fast: "sim-fast", smart: "sim-smart", embedding: "sim-embedding" },
    },
    ...fastPolicy,
    ...overrides,
  });
}

export function createAzureGateway(
  simulator: SimulatorHandle,
  apiVersion: string | undefined,
  overrides: Partial<GatewayConfigInput> = {},
): Gateway {
  return createGateway({
    provider: {
      kind: "azure",
      endpoint: simulator.url,
      apiKey: "test-key",
      apiVersion,
      models: { fast: "prod-mini", smart: "prod-4o", embedding: "prod-embed" },
    },
    ...fastPolicy,
    ...overrides,
  });
}

/** Return a copy of the simulator's request log, which never contains control calls (`/__sim/...`). */
export function modelRequests(simulator: SimulatorHandle): SimulatorRequestRecord[] {
  return [...simulator.requestLog];
}

/** Gaps between the end of each request and the arrival of the next, in milliseconds. */
export function gapsBetweenRequests(records: readonly SimulatorRequestRecord[]): number[] {
  const gaps: number[] = [];
  for (let index = 1; index < records.length; index++) {
    const previous = records[index - 1] as SimulatorRequestRecord;
    const current = records[index] as SimulatorRequestRecord;
    gaps.push(current.receivedAt - (previous.endedAt ?? previous.receivedAt));
  }
  return gaps;
}

/** Wait until a condition holds, polling every few milliseconds, or fail after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function userMessage(text: string) {
  return [
    { role: "system" as const, content: "You answer in JSON when asked." },
    { role: "user" as const, content: text },
  ];
}
