import type { LanguageModelV3FinishReason, LanguageModelV3StreamPart, LanguageModelV3Usage } from "@ai-sdk/provider";
import type { CallState } from "./attempts";

export type FinishReason = "stop" | "length" | "content_filter" | "error" | "other";

/** Parts that carry model output; the first one ends the window in which a stream may be retried. */
export function isOutputPart(part: LanguageModelV3StreamPart): boolean {
  return (
    part.type === "text-delta" ||
    part.type === "reasoning-delta" ||
    part.type === "tool-call" ||
    part.type === "tool-input-start"
  );
}

/** Follows a stream's parts to know when the first token came, how it finished and what it used. */
export class StreamTracker {
  private finishReason: FinishReason = "other";
  private lastUsage: LanguageModelV3Usage | undefined;
  private responseModel: string | undefined;
  error: unknown;

  constructor(private readonly state: CallState) {}

  observe(part: LanguageModelV3StreamPart): LanguageModelV3StreamPart {
    if (isOutputPart(part) && this.state.firstTokenAt === undefined) this.state.firstTokenAt = performance.now();
    if (part.type === "response-metadata" && part.modelId) this.responseModel = part.modelId;
    if (part.type === "error") this.error = part.error;
    if (part.type === "finish") {
      this.finishReason = mapFinishReason(part.finishReason);
      this.lastUsage = part.usage;
    }
    return part;
  }

  usage(): LanguageModelV3Usage {
    return (
      this.lastUsage ?? {
        inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: undefined, text: undefined, reasoning: undefined },
      }
    );
  }

  summary(): { finishReason: FinishReason; usage?: LanguageModelV3Usage; responseModel?: string } {
    return { finishReason: this.finishReason, usage: this.lastUsage, responseModel: this.responseModel };
  }
}

export function mapFinishReason(reason: LanguageModelV3FinishReason): FinishReason {
  switch (reason.unified) {
    case "stop":
      return "stop";
    case "length":
      return "length";
    case "content-filter":
      return "content_filter";
    case "error":
      return "error";
    default:
      return "other";
  }
}
