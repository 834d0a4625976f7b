import { AppError } from "@/lib/errors";

/**
 * What went wrong with a model call. `retryable` kinds may succeed if the same request is sent
 * later; the gateway has already retried them within the call's deadline when it throws.
 */
export const modelErrorKinds = {
  rate_limited: { status: 503, retryable: true },
  server_error: { status: 502, retryable: true },
  connection: { status: 502, retryable: true },
  timeout: { status: 504, retryable: true },
  retry_wait_too_long: { status: 503, retryable: true },
  context_length_exceeded: { status: 422, retryable: false },
  content_filter: { status: 422, retryable: false },
  json_mode_prompt: { status: 500, retryable: false },
  bad_request: { status: 502, retryable: false },
  authentication: { status: 502, retryable: false },
  permission: { status: 502, retryable: false },
  deployment_not_found: { status: 502, retryable: false },
  api_version: { status: 502, retryable: false },
  not_found: { status: 502, retryable: false },
  not_configured: { status: 500, retryable: false },
  invalid_response: { status: 502, retryable: true },
  // 499 is nginx's "client closed request": the caller cancelled, so the response is rarely seen.
  aborted: { status: 499, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

export type ModelErrorKind = keyof typeof modelErrorKinds;

export interface ModelErrorDetails {
  /** HTTP status the provider returned, when there was a response. */
  providerStatus?: number;
  /** The provider's error code (such as `DeploymentNotFound`), never its free text. */
  providerCode?: string;
  /** Wait the provider requested, in milliseconds. */
  retryAfterMs?: number;
  attempts?: number;
  model?: string;
  promptKey?: string;
}

/**
 * A failed model call. `message` says what to change and is safe to show to an admin; the
 * provider's own message stays in `cause` for the logs.
 */
export class ModelError extends AppError {
  static override readonly kind: string = "ModelError";
  readonly retryable: boolean;

  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly info: ModelErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(modelErrorKinds[kind].status, `model_${kind}`, message, publicDetails(kind, info));
    this.name = "ModelError";
    this.retryable = modelErrorKinds[kind].retryable;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export function isModelError(error: unknown): error is ModelError {
  return error instanceof ModelError;
}

function publicDetails(kind: ModelErrorKind, info: ModelErrorDetails): Record<string, unknown> {
  const details: Record<string, unknown> = { kind };
  if (info.retryAfterMs !== undefined) details.retryAfterSeconds = Math.ceil(info.retryAfterMs / 1000);
  return details;
}
