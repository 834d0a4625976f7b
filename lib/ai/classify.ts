import { APICallError } from "@ai-sdk/provider";
import type { ModelRole, ProviderKind } from "./config";
import { ModelError } from "./errors";
import { isRetryableStatus, readRequestedWait } from "./retry";

/** Call details that let an error message name the setting to change. */
export interface CallContext {
  providerKind: ProviderKind;
  /** `embedding` for embedding calls. */
  role: ModelRole | "embedding";
  model: string;
  apiVersion?: string;
  promptKey?: string;
}

interface ProviderErrorBody {
  code?: string;
  message?: string;
  innerCode?: string;
}

/**
 * Turn any failure of one HTTP attempt into a `ModelError`. Errors that are not about the model
 * call (programming errors) are returned unchanged, so they are neither retried nor disguised.
 */
export function classifyAttemptError(error: unknown, context: CallContext): unknown {
  if (error instanceof ModelError) return error;
  // Checked first: a reset in the middle of a body reaches us as an APICallError with status 200.
  if (isConnectionError(error)) {
    return new ModelError("connection", connectionMessage(context), { model: context.model }, { cause: error });
  }
  if (APICallError.isInstance(error)) return classifyApiCallError(error, context);
  if (isInvalidResponse(error)) {
    return new ModelError(
      "invalid_response",
      `The model endpoint sent a response that is not valid OpenAI chat-completions data (model ${context.model}).`,
      { model: context.model },
      { cause: error },
    );
  }
  return error;
}

function classifyApiCallError(error: APICallError, context: CallContext): ModelError | unknown {
  const status = error.statusCode;
  if (status === undefined) {
    if (error.isRetryable) {
      return new ModelError("connection", connectionMessage(context), { model: context.model }, { cause: error });
    }
    return new ModelError("invalid_response", "The model endpoint sent a response that could not be read.", {
      model: context.model,
    });
  }

  if (status < 400) {
    return new ModelError(
      "invalid_response",
      "The model endpoint sent a response that could not be read.",
      { model: context.model },
      { cause: error },
    );
  }

  const body = readErrorBody(error);
  const info = {
    providerStatus: status,
    providerCode: body.code,
    model: context.model,
    promptKey: context.promptKey,
    retryAfterMs: readRequestedWait(error.responseHeaders)?.waitMs,
  };
  const make = (kind: ConstructorParameters<typeof ModelError>[0], message: string) =>
    new ModelError(kind, message, info, { cause: error });

  if (status === 429) return make("rate_limited", `The model ${context.model} is rate limited (HTTP 429).`);
  if (status === 408) return make("timeout", `The model endpoint timed out the request (HTTP 408).`);
  if (isRetryableStatus(status)) return make("server_error", `The model endpoint failed with HTTP ${status}.`);
  if (status === 401) return make("authentication", authenticationMessage(context));
  if (status === 403) return make("permission", permissionMessage(context));
  if (status === 404) return classifyNotFound(body, context, make);
  return classifyBadRequest(status, body, context, make);
}

type Make = (kind: ConstructorParameters<typeof ModelError>[0], message: string) => ModelError;

function classifyBadRequest(status: number, body: ProviderErrorBody, context: CallContext, make: Make): ModelError {
  const code = (body.code ?? "").toLowerCase();
  const text = (body.message ?? "").toLowerCase();
  const prompt = context.promptKey ? ` "${context.promptKey}"` : "";

  if (code === "content_filter" || body.innerCode === "ResponsibleAIPolicyViolation") {
    return make(
      "content_filter",
      `The provider's content filter rejected the prompt${prompt}. Rephrase the prompt or remove the flagged data; sending it again gives the same result.`,
    );
  }
  if (code === "context_length_exceeded" || text.includes("maximum context length")) {
    return make(
      "context_length_exceeded",
      `The prompt${prompt} is longer than the context window of ${context.model}. Send fewer items per batch, shorten the template, or lower max tokens.`,
    );
  }
  if (code.includes("apiversion") || text.includes("api-version") || text.includes("api version")) {
    return make("api_version", apiVersionMessage(context));
  }
  return make(
    "bad_request",
    `The model endpoint rejected the request to ${context.model} (HTTP ${status}${body.code ? `, ${body.code}` : ""}). Check the prompt${prompt} and the model settings.`,
  );
}

function classifyNotFound(body: ProviderErrorBody, context: CallContext, make: Make): ModelError {
  const code = (body.code ?? "").toLowerCase();
  if (code === "deploymentnotfound" || code === "model_not_found") {
    return make("deployment_not_found", missingModelMessage(context));
  }
  if (context.providerKind === "azure") {
    return make(
      "not_found",
      `Azure OpenAI returned 404 for deployment "${context.model}". Check AZURE_OPENAI_ENDPOINT, the deployment name in ${roleVariable(context)} and AZURE_OPENAI_API_VERSION${context.apiVersion ? ` (now ${context.apiVersion})` : ""}.`,
    );
  }
  return make(
    "not_found",
    `The model endpoint returned 404 for model "${context.model}". Check OPENAI_BASE_URL (it usually ends in /v1) and ${roleVariable(context)}.`,
  );
}

function readErrorBody(error: APICallError): ProviderErrorBody {
  const data = error.data as { error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } } };
  let parsed = data?.error;
  if (!parsed && error.responseBody) {
    try {
      parsed = (JSON.parse(error.responseBody) as { error?: typeof parsed }).error;
    } catch {
      parsed = undefined;
    }
  }
  const innerCode = (parsed as { innererror?: { code?: unknown } } | undefined)?.innererror?.code;
  return {
    code: parsed?.code === undefined || parsed?.code === null ? undefined : String(parsed.code),
    message: typeof parsed?.message === "string" ? parsed.message : undefined,
    innerCode: typeof innerCode === "string" ? innerCode : undefined,
  };
}

export function roleVariable(context: Pick<CallContext, "providerKind" | "role">): string {
  const role = context.role.toUpperCase();
  if (context.providerKind === "azure") return `AZURE_OPENAI_DEPLOYMENT_${role}`;
  return `OPENAI_MODEL_${role}`;
}

function missingModelMessage(context: CallContext): string {
  if (context.providerKind === "azure") {
    return `Azure OpenAI has no deployment named "${context.model}". Create it, or set ${roleVariable(context)} to an existing deployment name.`;
  }
  return `The model "${context.model}" does not exist on the endpoint or this key cannot use it. Set ${roleVariable(context)} to an available model.`;
}

function apiVersionMessage(context: CallContext): string {
  return `Azure OpenAI rejected api-version "${context.apiVersion ?? "(none)"}". Set AZURE_OPENAI_API_VERSION to a supported version such as 2024-10-21, or unset it to use the /openai/v1 route.`;
}

function authenticationMessage(context: CallContext): string {
  if (context.providerKind === "azure") {
    return "Azure OpenAI rejected the credentials (HTTP 401). Check AZURE_OPENAI_API_KEY, or renew AZURE_OPENAI_AD_TOKEN.";
  }
  return "The model endpoint rejected the credentials (HTTP 401). Check OPENAI_API_KEY.";
}

function permissionMessage(context: CallContext): string {
  if (context.providerKind === "azure") {
    return "Azure OpenAI denied access (HTTP 403). Give the identity the Cognitive Services OpenAI User role, or check the resource's network rules.";
  }
  return "The model endpoint denied access (HTTP 403). Check that OPENAI_API_KEY may use this model and project.";
}

function connectionMessage(context: CallContext): string {
  return `The connection to the model endpoint failed or was reset (model ${context.model}).`;
}

const connectionCodes = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "ENOTFOUND"]);

function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof candidate.code === "string" && connectionCodes.has(candidate.code)) return true;
    if (current instanceof TypeError && /terminated|fetch failed|other side closed/i.test(String(candidate.message))) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
}

function isInvalidResponse(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return (
    typeof name === "string" &&
    [
      "AI_InvalidResponseDataError",
      "AI_JSONParseError",
      "AI_TypeValidationError",
      "AI_EmptyResponseBodyError",
    ].includes(name)
  );
}
