import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { answerChatCompletion, type Timing } from "./completions";
import { type ChatRequestBody, promptText } from "./content";
import { answerEmbeddings } from "./embedding-response";
import {
  drawRandomFault,
  type Fault,
  FaultRuleSet,
  faultDescriptions,
  parseFaultList,
  splitModelFault,
  writeHttpFault,
} from "./faults";
import { FineTuningStore, isFineTuningPath } from "./fine-tuning";
import {
  formatFault,
  headerValue,
  inputText,
  isFaultRule,
  isLoopback,
  matchRoute,
  readJsonBody,
  sendJson,
  sendUnknownFault,
} from "./http";
import { createRandom } from "./random";
import type { FaultRule, SimulatorHandle, SimulatorOptions, SimulatorRequestRecord } from "./types";

/** Oldest entries are dropped past this, so a long dev session does not grow without bound. */
const MAX_LOG_ENTRIES = 10_000;

export const defaultSimulatorOptions: SimulatorOptions = {
  port: 0,
  host: "127.0.0.1",
  seed: 42,
  ttftMs: 150,
  tokensPerSecond: 120,
  latencyMs: 0,
  faultRate: 0,
  fineTuningStepMs: 1000,
};

/**
 * Start the OpenAI- and Azure-compatible simulator on loopback. Resolves once it listens; `close`
 * ends open connections too, hanging ones included.
 */
export async function startSimulator(options: Partial<SimulatorOptions> = {}): Promise<SimulatorHandle> {
  const settings = { ...defaultSimulatorOptions, ...options };
  if (!isLoopback(settings.host)) {
    throw new Error(`The simulator binds to loopback only; got host ${settings.host}. Use 127.0.0.1.`);
  }

  const log: SimulatorRequestRecord[] = [];
  const fineTuning = new FineTuningStore(settings.fineTuningStepMs);
  const rules = new FaultRuleSet();
  const faultRandom = createRandom(settings.seed);
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  // Each request in flight listens for the shutdown, and hundreds may be in flight at once.
  setMaxListeners(0, closing.signal);
  let nextId = 1;
  const now = () => performance.timeOrigin + performance.now();

  const server = createServer((request, response) => {
    const record: SimulatorRequestRecord = {
      id: nextId++,
      method: request.method ?? "GET",
      path: request.url ?? "/",
      stream: false,
      faults: [],
      receivedAt: now(),
    };
    const exchangeAbort = new AbortController();
    const abort = () => exchangeAbort.abort();
    closing.signal.addEventListener("abort", abort, { once: true });
    response.on("close", () => {
      closing.signal.removeEventListener("abort", abort);
      if (!response.writableFinished && record.outcome !== "reset") record.outcome ??= "client_closed";
      record.endedAt = now();
      record.status ??= response.statusCode;
      record.latencyMs = Math.round(record.endedAt - record.receivedAt);
      exchangeAbort.abort();
      if (record.api) settings.onRequestEnd?.(record);
    });

    handleRequest({ request, response, record, signal: exchangeAbort.signal }).catch((error: unknown) => {
      if (!response.headersSent)
        sendJson(response, 500, { error: { message: String(error), type: "simulator_error" } });
      else response.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  interface Exchange {
    request: IncomingMessage;
    response: ServerResponse;
    record: SimulatorRequestRecord;
    signal: AbortSignal;
  }

  async function handleRequest({ request, response, record, signal }: Exchange): Promise<void> {
    const url = new URL(request.url ?? "/", "http://simulator.local");
    if (url.pathname.startsWith("/__sim/")) return handleControl(request, response, url.pathname);

    appendLog(record);
    record.apiVersion = url.searchParams.get("api-version") ?? undefined;
    if (isFineTuningPath(url.pathname)) {
      record.kind = "fine_tuning";
      record.api = url.pathname.startsWith("/v1/")
        ? "openai"
        : url.pathname.startsWith("/openai/v1/")
          ? "azure-v1"
          : "azure-deployment";
      if (!checkAccess(request, response, record)) return;
      const faults = selectFaults(request, undefined, "");
      if ("unknown" in faults) return sendUnknownFault(response, faults.unknown);
      record.faults = faults.list.map(formatFault);
      if (faults.list.some((fault) => writeHttpFault(response, fault, "fine-tuning"))) return;
      return fineTuning.handle(request, response, url);
    }

    const route = matchRoute(url.pathname);
    if (!route || (route.kind === "models" ? request.method !== "GET" : request.method !== "POST")) {
      return sendJson(response, 404, { error: { code: "404", message: "Resource not found" } });
    }
    record.api = route.api;
    record.kind = route.kind;
    if (!checkAccess(request, response, record)) return;
    if (route.kind === "models") return sendJson(response, 200, { object: "list", data: [] });

    const body = await readJsonBody(request);
    if (!body.ok)
      return sendJson(response, 400, { error: { message: body.message, type: "invalid_request_error", code: null } });
    const requestBody = body.value as ChatRequestBody & {
      input?: unknown;
      encoding_format?: string;
      dimensions?: number;
    };

    const named = splitModelFault(route.deployment ?? requestBody.model ?? "");
    record.model = named.model;
    if (settings.deployments && route.api !== "openai" && !settings.deployments.includes(named.model)) {
      return sendJson(response, 404, {
        error: { code: "DeploymentNotFound", message: `The API deployment ${named.model} does not exist.` },
      });
    }

    const faults = selectFaults(
      request,
      named.faultList,
      route.kind === "chat" ? promptText(requestBody) : inputText(requestBody),
    );
    if ("unknown" in faults) return sendUnknownFault(response, faults.unknown);
    record.faults = faults.list.map(formatFault);
    const timing = readTiming(request);

    if (route.kind === "embeddings")
      return answerEmbeddings(response, requestBody, named.model, faults.list, timing, signal, record);
    record.stream = requestBody.stream === true;
    await answerChatCompletion({
      response,
      body: requestBody,
      model: named.model,
      api: route.api,
      faults: faults.list,
      timing,
      seed: settings.seed,
      record,
      signal,
      now,
    });
  }

  /** Reject what Azure or OpenAI would: a dated Azure route without api-version, or no credentials. */
  function checkAccess(request: IncomingMessage, response: ServerResponse, record: SimulatorRequestRecord): boolean {
    if (record.api === "azure-deployment" && !record.apiVersion) {
      // Azure returns a bare 404 for a deployment URL without api-version.
      sendJson(response, 404, { error: { code: "404", message: "Resource not found" } });
      return false;
    }
    if (!request.headers.authorization && !request.headers["api-key"]) {
      sendJson(response, 401, {
        error: {
          code: "401",
          message: "Missing credentials: send an api-key or Authorization header.",
          type: "invalid_request_error",
        },
      });
      return false;
    }
    return true;
  }

  function selectFaults(
    request: IncomingMessage,
    suffix: string | undefined,
    text: string,
  ): { list: Fault[] } | { unknown: string } {
    const sources = [headerValue(request, "x-sim-fault"), suffix, ...rules.take(text)];
    const list: Fault[] = [];
    for (const source of sources) {
      const parsed = parseFaultList(source);
      if (parsed.unknown.length > 0) return { unknown: parsed.unknown.join(", ") };
      list.push(...parsed.faults);
    }
    const random = drawRandomFault(faultRandom, settings.faultRate);
    if (random && list.length === 0) list.push(random);
    return { list };
  }

  function readTiming(request: IncomingMessage): Timing {
    const read = (name: string, fallback: number) => {
      const value = Number(headerValue(request, name));
      return headerValue(request, name) !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
    };
    return {
      ttftMs: read("x-sim-ttft-ms", settings.ttftMs),
      tokensPerSecond: read("x-sim-tokens-per-second", settings.tokensPerSecond),
      latencyMs: read("x-sim-latency-ms", settings.latencyMs),
    };
  }

  function handleControl(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> | void {
    if (path === "/__sim/requests" && request.method === "GET") return sendJson(response, 200, { requests: log });
    if (path === "/__sim/requests" && request.method === "DELETE") {
      log.length = 0;
      return sendJson(response, 200, { cleared: true });
    }
    if (path === "/__sim/faults" && request.method === "GET")
      return sendJson(response, 200, { rules: rules.list(), faults: faultDescriptions });
    if (path === "/__sim/faults" && request.method === "POST") return setRulesFromRequest(request, response);
    return sendJson(response, 404, { error: { message: `No simulator control endpoint ${request.method} ${path}.` } });
  }

  async function setRulesFromRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readJsonBody(request);
    const value = body.ok ? body.value : undefined;
    const list = Array.isArray(value) ? value : (value as { rules?: unknown } | undefined)?.rules;
    const invalid = !Array.isArray(list) || list.some((rule) => !isFaultRule(rule));
    if (invalid) {
      return sendJson(response, 400, {
        error: {
          message: 'Expected {"rules":[{"match"?: string, "fault": string, "times"?: number}]} with known fault names.',
        },
      });
    }
    rules.set(list as FaultRule[]);
    return sendJson(response, 200, { rules: rules.list() });
  }

  function appendLog(record: SimulatorRequestRecord): void {
    log.push(record);
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${port}`,
    port,
    get requestLog() {
      return log;
    },
    setFaultRules: (list) => {
      for (const rule of list) {
        if (!isFaultRule(rule))
          throw new Error(`Invalid fault rule ${JSON.stringify(rule)}: unknown fault name or bad fields.`);
      }
      rules.set(list);
    },
    clearRequestLog: () => {
      log.length = 0;
    },
    close: async () => {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
