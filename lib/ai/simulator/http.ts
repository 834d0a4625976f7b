import type { IncomingMessage, ServerResponse } from "node:http";
import { type Fault, faultDescriptions, parseFaultList } from "./faults";
import type { FaultRule, SimulatorApi } from "./types";

/** Request routing and body helpers of the simulator's HTTP server. */

const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface Route {
  api: SimulatorApi;
  kind: "chat" | "embeddings" | "models";
  deployment?: string;
}

/** Map a path to a protocol route: OpenAI `/v1/...`, Azure `/openai/deployments/{name}/...` and `/openai/v1/...`. */
export function matchRoute(pathname: string): Route | undefined {
  const deployment = pathname.match(/^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/);
  if (deployment) {
    return {
      api: "azure-deployment",
      kind: deployment[2] === "embeddings" ? "embeddings" : "chat",
      deployment: decodeURIComponent(deployment[1] as string),
    };
  }
  const versioned = pathname.match(/^\/(openai\/v1|v1)?\/?(chat\/completions|embeddings|models)$/);
  if (!versioned) return undefined;
  const kind = versioned[2] === "chat/completions" ? "chat" : (versioned[2] as "embeddings" | "models");
  return { api: versioned[1] === "openai/v1" ? "azure-v1" : "openai", kind };
}

export function inputText(body: { input?: unknown }): string {
  return Array.isArray(body.input) ? body.input.map(String).join("\n") : String(body.input ?? "");
}

export function isFaultRule(value: unknown): value is FaultRule {
  if (typeof value !== "object" || value === null) return false;
  const rule = value as Record<string, unknown>;
  if (typeof rule.fault !== "string" || parseFaultList(rule.fault).unknown.length > 0) return false;
  if (rule.match !== undefined && typeof rule.match !== "string") return false;
  return (
    rule.times === undefined || (typeof rule.times === "number" && Number.isInteger(rule.times) && rule.times >= 0)
  );
}

export function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

export async function readJsonBody(
  request: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, message: "Request body is larger than 20 MB." };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") };
  } catch {
    return { ok: false, message: "Request body is not valid JSON." };
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function sendUnknownFault(response: ServerResponse, names: string): void {
  sendJson(response, 400, {
    error: {
      message: `Unknown simulator fault "${names}". Known faults: ${Object.keys(faultDescriptions).join(", ")}.`,
      type: "invalid_request_error",
      code: "unknown_fault",
    },
  });
}

export function formatFault(fault: Fault): string {
  return fault.param ? `${fault.name}:${fault.param}` : fault.name;
}
