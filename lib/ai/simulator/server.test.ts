import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "./server";
import type { SimulatorHandle } from "./types";

let simulator: SimulatorHandle;

beforeAll(async () => {
  simulator = await startSimulator({ ttftMs: 0, tokensPerSecond: 0 });
});

afterAll(async () => {
  await simulator.close();
});

const chatBody = (text: string, model = "m") => JSON.stringify({ model, messages: [{ role: "user", content: text }] });
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${simulator.url}${path}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", authorization: "Bearer test", ...headers },
  });

describe("simulator routes", () => {
  it("answers 404 on an Azure deployment URL without api-version", async () => {
    const response = await post("/openai/deployments/prod/chat/completions", chatBody("hi"));

    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe("Resource not found");
  });

  it("answers 401 without credentials", async () => {
    const response = await fetch(`${simulator.url}/v1/chat/completions`, { method: "POST", body: chatBody("hi") });

    expect(response.status).toBe(401);
  });

  it("applies a fault from the model name suffix", async () => {
    const response = await post("/v1/chat/completions", chatBody("hi", "gpt-4o-mini~service_unavailable"));

    expect(response.status).toBe(503);
    expect(simulator.requestLog.at(-1)?.model).toBe("gpt-4o-mini");
    expect(simulator.requestLog.at(-1)?.faults).toEqual(["service_unavailable"]);
  });

  it("rejects an unknown fault name with the list of known ones", async () => {
    const response = await post("/v1/chat/completions", chatBody("hi"), { "x-sim-fault": "explode" });
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.message).toContain('"explode"');
    expect(body.error.message).toContain("rate_limit_retry_after");
  });

  it("answers 404 DeploymentNotFound for a deployment it does not know", async () => {
    const strict = await startSimulator({ deployments: ["prod-mini"], ttftMs: 0, tokensPerSecond: 0 });
    const request = (name: string) =>
      fetch(`${strict.url}/openai/deployments/${name}/chat/completions?api-version=2024-10-21`, {
        method: "POST",
        body: chatBody("hi"),
        headers: { "api-key": "test" },
      });

    const unknown = await request("other");
    const known = await request("prod-mini");
    const body = await unknown.json();
    await known.arrayBuffer();
    await strict.close();

    expect(unknown.status).toBe(404);
    expect(body.error.code).toBe("DeploymentNotFound");
    expect(known.status).toBe(200);
  });

  it("rejects a host outside loopback", async () => {
    await expect(startSimulator({ host: "0.0.0.0" })).rejects.toThrow(/loopback/);
  });
});

describe("simulator control endpoints", () => {
  it("sets fault rules that match message text a number of times", async () => {
    const set = await fetch(`${simulator.url}/__sim/faults`, {
      method: "POST",
      body: JSON.stringify({ rules: [{ match: "batch-2", fault: "server_error", times: 1 }] }),
    });

    const first = await post("/v1/chat/completions", chatBody("items of batch-2"));
    const second = await post("/v1/chat/completions", chatBody("items of batch-2"));
    const other = await post("/v1/chat/completions", chatBody("items of batch-1"));

    expect(set.status).toBe(200);
    expect(first.status).toBe(500);
    expect(second.status).toBe(200);
    expect(other.status).toBe(200);
  });

  it("rejects rules with unknown faults", async () => {
    const response = await fetch(`${simulator.url}/__sim/faults`, {
      method: "POST",
      body: JSON.stringify({ rules: [{ fault: "explode" }] }),
    });

    expect(response.status).toBe(400);
  });

  it("returns and clears the request log", async () => {
    await post("/v1/embeddings", JSON.stringify({ model: "e", input: "hello" }));

    const listed = await (await fetch(`${simulator.url}/__sim/requests`)).json();
    await fetch(`${simulator.url}/__sim/requests`, { method: "DELETE" });

    expect(listed.requests.at(-1).kind).toBe("embeddings");
    expect(listed.requests.at(-1).status).toBe(200);
    expect(simulator.requestLog).toHaveLength(0);
  });
});

describe("simulator invalid_value fault", () => {
  const structuredBody = (schemaName: string, text: string) =>
    JSON.stringify({
      model: "m",
      messages: [{ role: "user", content: text }],
      response_format: { type: "json_schema", json_schema: { name: schemaName, schema: {} } },
    });
  const answerOf = async (response: Response) => JSON.parse((await response.json()).choices[0].message.content);

  it("puts a proposal off its scale", async () => {
    const backlog = '<backlog_items>\n[{"id":"A01","title":"SSO","missing":["impact"]}]\n</backlog_items>';

    const response = await post("/v1/chat/completions", structuredBody("prioritization_proposals", backlog), {
      "x-sim-fault": "invalid_value",
    });
    const proposal = (await answerOf(response)).items[0].proposals[0];

    expect(response.status).toBe(200);
    expect(proposal.input).toBe("impact");
    expect(proposal.value).toBe(4);
    expect(proposal.insufficient_evidence).toBe(false);
  });

  it("leaves other structured answers valid", async () => {
    const feedback = '<feedback>\n[{"id":"AF1","text":"Export is slow"}]\n</feedback>';
    const body = structuredBody("feedback_summary", feedback);

    const faulted = await answerOf(await post("/v1/chat/completions", body, { "x-sim-fault": "invalid_value" }));
    const healthy = await answerOf(await post("/v1/chat/completions", body));

    expect(faulted).toEqual(healthy);
  });
});

describe("simulator fault rate", () => {
  it("injects the same transient faults for the same seed", async () => {
    const statuses = async () => {
      const flaky = await startSimulator({ seed: 5, faultRate: 0.5, ttftMs: 0, tokensPerSecond: 0 });
      const result: number[] = [];
      for (let index = 0; index < 12; index++) {
        const response = await fetch(`${flaky.url}/v1/chat/completions`, {
          method: "POST",
          body: chatBody(`request ${index}`),
          headers: { authorization: "Bearer test" },
        });
        result.push(response.status);
        await response.arrayBuffer();
      }
      await flaky.close();
      return result;
    };

    const first = await statuses();
    const second = await statuses();

    expect(second).toEqual(first);
    expect(first.some((status) => status !== 200)).toBe(true);
    expect(first.some((status) => status === 200)).toBe(true);
  });
});
