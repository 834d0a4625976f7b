export interface SimulatorOptions {
  /** 0 picks a free port. */
  port: number;
  /** Loopback only: the simulator refuses any other address. */
  host: string;
  seed: number;
  /** Delay before the first token, in milliseconds. */
  ttftMs: number;
  /** Output pace after the first token; 0 sends everything at once. */
  tokensPerSecond: number;
  /** Extra delay before any response starts, as network and queueing time, in milliseconds. */
  latencyMs: number;
  /** Share of chat and embedding requests (0 to 1) that get a random transient fault (429, 500, 503). */
  faultRate: number;
  /** Time each fine-tuning job spends in each state before moving to the next, in milliseconds. */
  fineTuningStepMs: number;
  /** Deployment names the Azure routes accept; unset accepts any name. */
  deployments?: string[];
  /** Called when a model request ends, with its log record, such as to print it. */
  onRequestEnd?: (record: SimulatorRequestRecord) => void;
}

/**
 * A fault applied to the requests whose messages contain `match` (all requests when unset), at most
 * `times` times (always when unset). `fault` takes the same names as the `x-sim-fault` header.
 */
export interface FaultRule {
  match?: string;
  fault: string;
  times?: number;
}

/** Route family: OpenAI `/v1`, Azure's dated-api-version routes under `/openai`, or Azure `/openai/v1`. */
export type SimulatorApi = "openai" | "azure-deployment" | "azure-v1";

/** One request as the simulator saw it. Times are epoch milliseconds with sub-millisecond precision. */
export interface SimulatorRequestRecord {
  id: number;
  method: string;
  path: string;
  api?: SimulatorApi;
  kind?: "chat" | "embeddings" | "models" | "fine_tuning";
  /** The deployment (Azure routes) or model name, without a fault suffix. */
  model?: string;
  apiVersion?: string;
  stream: boolean;
  faults: string[];
  status?: number;
  schemaName?: string;
  responseFormat?: "json_schema" | "json_object" | "text";
  /** Outcome of the exchange: `reset` when the simulator dropped the connection on purpose. */
  outcome?: "ok" | "error" | "reset" | "client_closed";
  receivedAt: number;
  firstByteAt?: number;
  endedAt?: number;
  latencyMs?: number;
}

export interface SimulatorHandle {
  /** Base URL such as http://127.0.0.1:4010; OpenAI clients use `${url}/v1`. */
  url: string;
  port: number;
  /** Live view of the log, oldest first. */
  readonly requestLog: readonly SimulatorRequestRecord[];
  setFaultRules(rules: FaultRule[]): void;
  clearRequestLog(): void;
  close(): Promise<void>;
}
