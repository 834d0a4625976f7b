import { jsonrepair } from "jsonrepair";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Gateway, ModelError } from "@/lib/ai";
import { type SimulatorHandle, startSimulator } from "@/lib/ai/simulator";
import { feedbackSummarySchema } from "@/lib/tasks/schemas";
import {
  createAzureGateway,
  createCompatibleGateway,
  gapsBetweenRequests,
  modelRequests,
  userMessage,
  waitFor,
} from "./support";

/**
 * One test per simulator fault, through the gateway over real HTTP: a recovery after the wait the
 * server asked for (checked against the simulator's request timestamps), a typed error that is not
 * retried, or a truncation reported as such.
 */

let simulator: SimulatorHandle;
let gateway: Gateway;

beforeAll(async () => {
  simulator = await startSimulator({ seed: 1, ttftMs: 0, tokensPerSecond: 0, latencyMs: 0 });
  gateway = createCompatibleGateway(simulator);
});

afterAll(async () => {
  await simulator.close();
});

beforeEach(() => {
  simulator.setFaultRules([]);
  simulator.clearRequestLog();
});

async function expectModelError(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

const feedbackPrompt = (marker: string) =>
  userMessage(
    `${marker}: summarize this feedback as JSON.\n<feedback>\n[{"id":"AF001","text":"Exporting reports to PDF is slow"},{"id":"AF002","text":"PDF export fails for large reports"}]\n</feedback>`,
  );

describe("gateway recovers from rate limits after the requested wait", () => {
  it("honours retry-after in seconds", async () => {
    simulator.setFaultRules([{ match: "case-retry-after", fault: "rate_limit_retry_after:1", times: 1 }]);

    const result = await gateway.generateChat({ role: "fast", messages: userMessage("case-retry-after") });

    expect(result.transportAttempts).toBe(2);
    expect(result.retryWaitsMs).toEqual([1000]);
    expect(gapsBetweenRequests(modelRequests(simulator))[0]).toBeGreaterThanOrEqual(1000);
  });

  it("honours retry-after as an HTTP date", async () => {
    simulator.setFaultRules([{ match: "case-retry-date", fault: "rate_limit_retry_after_date:1", times: 1 }]);

    const result = await gateway.generateChat({ role: "fast", messages: userMessage("case-retry-date") });
    const wait = result.retryWaitsMs[0] ?? -1;

    expect(result.transportAttempts).toBe(2);
    expect(wait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeLessThanOrEqual(1000);
    expect(gapsBetweenRequests(modelRequests(simulator))[0]).toBeGreaterThanOrEqual(wait);
  });

  it("prefers retry-after-ms over retry-after", async () => {
    simulator.setFaultRules([{ match: "case-retry-ms", fault: "rate_limit_retry_after_ms:150", times: 1 }]);

    const result = await gateway.generateChat({ role: "fast", messages: userMessage("case-retry-ms") });

    expect(result.retryWaitsMs).toEqual([150]);
    expect(gapsBetweenRequests(modelRequests(simulator))[0]).toBeGreaterThanOrEqual(150);
  });

  it("falls back to x-ratelimit-reset-tokens", async () => {
    simulator.setFaultRules([{ match: "case-reset-tokens", fault: "rate_limit_reset_tokens:250ms", times: 1 }]);

    const result = await gateway.generateChat({ role: "fast", messages: userMessage("case-reset-tokens") });

    expect(result.retryWaitsMs).toEqual([250]);
    expect(gapsBetweenRequests(modelRequests(simulator))[0]).toBeGreaterThanOrEqual(250);
  });

  it("fails fast when retry-after is 600 seconds", async () => {
    const startedAt = performance.now();

    const error = await expectModelError(
      gateway.generateChat({
        role: "fast",
        messages: userMessage("hi"),
        headers: { "x-sim-fault": "rate_limit_retry_after:600" },
      }),
    );

    expect(error.kind).toBe("retry_wait_too_long");
    expect(error.message).toContain("600 s");
    expect(error.message).toContain("MODEL_MAX_RETRY_WAIT_MS");
    // Generous for a loaded machine; sleeping as asked would take 600 s.
    expect(performance.now() - startedAt).toBeLessThan(5000);
    expect(modelRequests(simulator)).toHaveLength(1);
  });

  it("fails fast when the requested wait passes the deadline", async () => {
    const error = await expectModelError(
      gateway.generateChat({
        role: "fast",
        messages: userMessage("hi"),
        deadlineMs: 500,
        headers: { "x-sim-fault": "rate_limit_retry_after_ms:1500" },
      }),
    );

    expect(error.kind).toBe("retry_wait_too_long");
    expect(error.message).toContain("deadline");
    expect(modelRequests(simulator)).toHaveLength(1);
  });
});

describe("gateway retries server errors with backoff", () => {
  it("recovers from a 500", async () => {
    simulator.setFaultRules([{ match: "case-500", fault: "server_error", times: 1 }]);

    const result = await gateway.generateChat({ role: "fast", messages: userMessage("case-500") });

    expect(result.transportAttempts).toBe(2);
    // Full jitter with random() = 0.5 and a 40 ms base: half of 40 ms before the first retry.
    expect(result.retryWaitsMs).toEqual([20]);
    expect(gapsBetweenRequests(modelRequests(simulator))[0]).toBeGreaterThanOrEqual(20);
  });

  it("recovers from two 503s with growing waits", async () => {
    simulator.setFaultRules([{ match: "case-503", fault: "service_unavailable", times: 2 }]);

    const result = await gateway.generateChat({ role: "fast", messages: userMessage("case-503") });

    expect(result.transportAttempts).toBe(3);
    expect(result.retryWaitsMs).toEqual([20, 40]);
  });

  it("gives up after the retry limit with the last error", async () => {
    const error = await expectModelError(
      gateway.generateChat({ role: "fast", messages: userMessage("hi"), headers: { "x-sim-fault": "server_error" } }),
    );

    expect(error.kind).toBe("server_error");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("Gave up after 4 attempts");
    expect(modelRequests(simulator)).toHaveLength(4);
  });

  it("recovers from a connection reset", async () => {
    simulator.setFaultRules([{ match: "case-reset", fault: "stream_reset", times: 1 }]);

    const result = await gateway.generateChat({ role: "fast", messages: userMessage("case-reset") });

    expect(result.transportAttempts).toBe(2);
    expect(modelRequests(simulator)[0]?.outcome).toBe("reset");
  });
});

describe("gateway deadlines and cancellation", () => {
  it("times out a hanging request and retries within the deadline", async () => {
    const hanging = createCompatibleGateway(simulator, { attemptTimeoutMs: 150, deadlineMs: 400 });
    const startedAt = performance.now();

    const error = await expectModelError(
      hanging.generateChat({ role: "fast", messages: userMessage("hi"), headers: { "x-sim-fault": "hang" } }),
    );

    expect(error.kind).toBe("timeout");
    // The deadline is 400 ms; the margin absorbs a loaded machine, while a hang would never end.
    expect(performance.now() - startedAt).toBeLessThan(3000);
    expect(modelRequests(simulator).length).toBeGreaterThanOrEqual(2);
  });

  it("closes the upstream request when the caller aborts", async () => {
    const controller = new AbortController();
    const call = gateway.generateChat({
      role: "fast",
      messages: userMessage("hi"),
      signal: controller.signal,
      headers: { "x-sim-fault": "hang" },
    });
    await waitFor(() => modelRequests(simulator).length === 1);

    controller.abort();
    const error = await expectModelError(call);

    expect(error.kind).toBe("aborted");
    await waitFor(() => modelRequests(simulator)[0]?.outcome === "client_closed");
    expect(modelRequests(simulator)[0]?.outcome).toBe("client_closed");
  });
});

describe("gateway does not retry requests that cannot succeed", () => {
  it("types a content filter rejection", async () => {
    const error = await expectModelError(
      gateway.generateChat({
        role: "fast",
        messages: userMessage("hi"),
        promptKey: "summarizer",
        headers: { "x-sim-fault": "content_filter" },
      }),
    );

    expect(error.kind).toBe("content_filter");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('"summarizer"');
    expect(modelRequests(simulator)).toHaveLength(1);
  });

  it("types context_length_exceeded", async () => {
    const error = await expectModelError(
      gateway.generateChat({
        role: "fast",
        messages: userMessage("hi"),
        headers: { "x-sim-fault": "context_length_exceeded" },
      }),
    );

    expect(error.kind).toBe("context_length_exceeded");
    expect(error.message).toContain("fewer items per batch");
    expect(modelRequests(simulator)).toHaveLength(1);
  });

  it("types an unknown Azure deployment and names the variable", async () => {
    const azure = createAzureGateway(simulator, "2024-10-21", {
      provider: {
        kind: "azure",
        endpoint: simulator.url,
        apiKey: "test-key",
        apiVersion: "2024-10-21",
        models: { fast: "missing~deployment_not_found", smart: "prod-4o" },
      },
    });

    const error = await expectModelError(azure.generateChat({ role: "fast", messages: userMessage("hi") }));

    expect(error.kind).toBe("deployment_not_found");
    expect(error.message).toContain("AZURE_OPENAI_DEPLOYMENT_FAST");
    expect(modelRequests(simulator)).toHaveLength(1);
  });

  it("types a 404 from a wrong Azure endpoint and names the settings", async () => {
    const azure = createAzureGateway(simulator, "2024-10-21", {
      provider: {
        kind: "azure",
        endpoint: `${simulator.url}/wrong-path`,
        apiKey: "test-key",
        apiVersion: "2024-10-21",
        models: { fast: "prod-mini", smart: "prod-4o" },
      },
    });

    const error = await expectModelError(azure.generateChat({ role: "fast", messages: userMessage("hi") }));

    expect(error.kind).toBe("not_found");
    expect(error.message).toContain("AZURE_OPENAI_ENDPOINT");
    expect(error.message).toContain("AZURE_OPENAI_API_VERSION");
    expect(modelRequests(simulator)).toHaveLength(1);
  });

  it("types an unsupported api-version and names the variable", async () => {
    const azure = createAzureGateway(simulator, "2023-01-01");

    const error = await expectModelError(
      azure.generateChat({
        role: "fast",
        messages: userMessage("hi"),
        headers: { "x-sim-fault": "api_version_not_supported" },
      }),
    );

    expect(error.kind).toBe("api_version");
    expect(error.message).toContain('"2023-01-01"');
    expect(error.message).toContain("AZURE_OPENAI_API_VERSION");
    expect(modelRequests(simulator)).toHaveLength(1);
  });

  it("types rejected credentials", async () => {
    const error = await expectModelError(
      gateway.generateChat({ role: "fast", messages: userMessage("hi"), headers: { "x-sim-fault": "unauthorized" } }),
    );

    expect(error.kind).toBe("authentication");
    expect(error.message).toContain("OPENAI_API_KEY");
    expect(modelRequests(simulator)).toHaveLength(1);
  });
});

describe("gateway reports truncation and filtering, never success", () => {
  it("reports finish_reason length with truncated JSON", async () => {
    const result = await gateway.generateChat({
      role: "fast",
      messages: feedbackPrompt("case-length"),
      output: { schemaName: "feedback_summary", schema: feedbackSummarySchema },
      headers: { "x-sim-fault": "finish_length" },
    });

    expect(result.finishReason).toBe("length");
    expect(() => JSON.parse(result.text)).toThrow();
  });

  it("reports finish_reason content_filter", async () => {
    const result = await gateway.generateChat({
      role: "fast",
      messages: userMessage("hi"),
      headers: { "x-sim-fault": "finish_content_filter" },
    });

    expect(result.finishReason).toBe("content_filter");
  });
});

describe("gateway passes malformed JSON through for the repair step", () => {
  const variants = [
    "malformed_fences",
    "malformed_prose",
    "malformed_trailing_commas",
    "malformed_comments",
    "malformed_single_quotes",
    "malformed_raw_newlines",
  ];

  for (const fault of variants) {
    it(`returns ${fault} text that repairs to a valid summary`, async () => {
      const result = await gateway.generateChat({
        role: "fast",
        messages: feedbackPrompt(`case-${fault}`),
        output: { schemaName: "feedback_summary", schema: feedbackSummarySchema },
        headers: { "x-sim-fault": fault },
      });

      expect(result.finishReason).toBe("stop");
      expect(() => JSON.parse(result.text)).toThrow();
      // The pipeline's repair step does the same: keep the outermost object, then fix its syntax.
      const outermost = result.text.slice(result.text.indexOf("{"), result.text.lastIndexOf("}") + 1);
      const repaired = feedbackSummarySchema.safeParse(JSON.parse(jsonrepair(outermost)));
      expect(repaired.success).toBe(true);
    });
  }
});
