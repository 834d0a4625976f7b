import type { Logger } from "@/lib/logger";
import { type CallContext, classifyAttemptError } from "./classify";
import type { KeyedLimiter } from "./concurrency";
import { ModelError } from "./errors";
import { computeBackoffMs } from "./retry";

export interface RetryPolicy {
  maxRetries: number;
  maxRetryWaitMs: number;
  attemptTimeoutMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  random: () => number;
}

/** Wire activity of one call, for accounting. Times are `performance.now()` milliseconds. */
export interface CallState {
  startedAt: number;
  attempts: number;
  retryWaitsMs: number[];
  firstTokenAt?: number;
  endedAt?: number;
}

export function createCallState(): CallState {
  return { startedAt: performance.now(), attempts: 0, retryWaitsMs: [] };
}

/** The deadline of one call, shared by its attempts and waits; `dispose` clears the timer. */
export interface CallDeadline {
  signal: AbortSignal;
  deadlineAt: number;
  deadlineMs: number;
  callerSignal?: AbortSignal;
  dispose(): void;
}

export function startDeadline(deadlineMs: number, callerSignal?: AbortSignal): CallDeadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error("model call deadline reached")), deadlineMs);
  // The timer alone must not keep a process alive, such as a script whose stream was never read.
  timer.unref();
  return {
    signal: controller.signal,
    deadlineAt: performance.now() + deadlineMs,
    deadlineMs,
    callerSignal,
    dispose: () => clearTimeout(timer),
  };
}

/** One HTTP attempt: its signal aborts on the caller's signal, the call deadline or the attempt timeout. */
export interface Attempt {
  signal: AbortSignal;
  /** Stop the attempt timeout, once a stream has produced its first token. */
  clearAttemptTimeout(): void;
  /** Give back the concurrency slot; safe to call more than once. */
  release(): void;
}

export interface RunOptions<T> {
  context: CallContext;
  policy: RetryPolicy;
  state: CallState;
  deadline: CallDeadline;
  limiter: KeyedLimiter;
  limiterKey: string;
  log: Logger;
  /** Must call `attempt.release()` when done with the slot: at once, or when a stream ends. */
  run(attempt: Attempt): Promise<T>;
}

/**
 * Run attempts until one succeeds, a failure cannot succeed later, the retries are used up, or the
 * next wait would pass the cap or the deadline. Returns the result or throws a `ModelError`.
 */
export async function runWithRetries<T>(options: RunOptions<T>): Promise<T> {
  const { state, deadline } = options;
  for (let retry = 0; ; retry++) {
    const attempt = await openAttempt(options);
    state.attempts += 1;
    let failure: unknown;
    try {
      return await options.run(attempt);
    } catch (error) {
      failure = explainFailure(error, attempt, options);
    } finally {
      attempt.clearAttemptTimeout();
    }
    attempt.release();

    const waitMs = planRetry(failure, retry, options);
    options.log.warn(
      {
        kind: (failure as ModelError).kind,
        attempt: state.attempts,
        waitMs,
        model: options.context.model,
        promptKey: options.context.promptKey,
      },
      "model call failed; retrying",
    );
    state.retryWaitsMs.push(waitMs);
    await sleep(waitMs, deadline.callerSignal);
  }
}

async function openAttempt<T>(options: RunOptions<T>): Promise<Attempt> {
  const { deadline, policy } = options;
  const attemptController = new AbortController();
  const remaining = deadline.deadlineAt - performance.now();
  const timer = setTimeout(
    () => attemptController.abort(new Error("model attempt timed out")),
    Math.max(0, Math.min(policy.attemptTimeoutMs, remaining)),
  );
  const signals = [deadline.signal, attemptController.signal];
  if (deadline.callerSignal) signals.push(deadline.callerSignal);
  const signal = AbortSignal.any(signals);

  let release: () => void;
  try {
    release = await options.limiter.acquire(options.limiterKey, signal);
  } catch (error) {
    clearTimeout(timer);
    throw explainFailure(error, { signal, clearAttemptTimeout: () => {}, release: () => {} }, options);
  }
  return { signal, clearAttemptTimeout: () => clearTimeout(timer), release };
}

/** Name the cause of a failed attempt: our own timers and the caller's signal come first. */
function explainFailure<T>(error: unknown, attempt: Attempt, options: RunOptions<T>): unknown {
  const { deadline, context } = options;
  if (deadline.callerSignal?.aborted) {
    return new ModelError("aborted", "The model call was cancelled.", { model: context.model }, { cause: error });
  }
  if (deadline.signal.aborted) {
    return new ModelError(
      "timeout",
      `The model ${context.model} did not finish within the call's deadline of ${deadline.deadlineMs} ms.`,
      { model: context.model, attempts: options.state.attempts, promptKey: context.promptKey },
      { cause: error },
    );
  }
  if (attempt.signal.aborted) {
    return new ModelError(
      "timeout",
      `The model ${context.model} did not answer within ${options.policy.attemptTimeoutMs} ms (one attempt).`,
      { model: context.model, promptKey: context.promptKey },
      { cause: error },
    );
  }
  return classifyAttemptError(error, context);
}

/** Return the wait before the next attempt, or throw the error that ends the call. */
function planRetry<T>(failure: unknown, retry: number, options: RunOptions<T>): number {
  const { policy, deadline, state, context } = options;
  if (!(failure instanceof ModelError) || !failure.retryable || deadline.signal.aborted) throw failure;
  if (retry >= policy.maxRetries) {
    throw new ModelError(
      failure.kind,
      `${failure.message} Gave up after ${state.attempts} attempts.`,
      { ...failure.info, attempts: state.attempts },
      { cause: failure },
    );
  }

  const requested = failure.info.retryAfterMs;
  const remaining = deadline.deadlineAt - performance.now();
  if (requested !== undefined && requested > policy.maxRetryWaitMs) {
    throw new ModelError(
      "retry_wait_too_long",
      `The model endpoint asked to wait ${formatSeconds(requested)} before retrying, more than the ${formatSeconds(policy.maxRetryWaitMs)} that MODEL_MAX_RETRY_WAIT_MS allows. Try again later or raise the deployment's quota.`,
      { ...failure.info, attempts: state.attempts },
      { cause: failure },
    );
  }
  const waitMs =
    requested ??
    computeBackoffMs(retry, { baseMs: policy.backoffBaseMs, maxMs: policy.backoffMaxMs, random: policy.random });
  if (waitMs >= remaining) {
    if (requested === undefined) throw failure;
    throw new ModelError(
      "retry_wait_too_long",
      `The model endpoint asked to wait ${formatSeconds(requested)} before retrying, past the call's deadline (${formatSeconds(Math.max(0, remaining))} left). Try again later.`,
      { ...failure.info, attempts: state.attempts, model: context.model },
      { cause: failure },
    );
  }
  return waitMs;
}

function formatSeconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(ms < 1000 ? 3 : 1)} s`;
}

/** Wait, or reject as soon as the caller cancels. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelError("aborted", "The model call was cancelled.", {}, { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}
