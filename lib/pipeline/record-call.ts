import type { Db } from "@/db/client";
import { insertModelCall } from "@/db/queries/runs";
import type { RecordedMessage } from "@/db/schema";
import { recordRunEvent } from "./events";
import type { AttemptRecord, RenderedPrompt } from "./structured-call";

/** Cut a text to the cap; the original length is noted in `capped` under `field` when it was cut. */
export function capText(text: string, cap: number, field: string, capped: Record<string, number>): string {
  if (text.length <= cap) return text;
  capped[field] = text.length;
  return text.slice(0, cap);
}

/**
 * Write one model request of a batch with its progress events (`attempt`, then `repaired` and
 * `validated` where they apply) in a single transaction, as soon as the request ends.
 */
export async function recordAttempt(
  db: Db,
  params: {
    runId: string;
    batchId: string;
    execution: number;
    prompt: RenderedPrompt;
    record: AttemptRecord;
    textCapChars: number;
  },
): Promise<void> {
  const { record, prompt, textCapChars: cap } = params;
  const capped: Record<string, number> = {};
  const messages: RecordedMessage[] = record.messages.map((message, index) => ({
    role: message.role,
    content: capText(message.content, cap, `messages[${index}]`, capped),
  }));
  const response = record.response;

  await db.transaction(async (tx) => {
    const call = await insertModelCall(tx, {
      runId: params.runId,
      batchId: params.batchId,
      execution: params.execution,
      attempt: record.attempt,
      purpose: record.purpose,
      promptKey: prompt.promptKey,
      language: prompt.language,
      promptVersion: prompt.version,
      provider: response?.provider ?? null,
      model: response?.model ?? null,
      responseFormat: response?.structuredMode ?? null,
      messages,
      parameters: { role: prompt.role, ...record.parameters },
      outcome: record.outcome,
      finishReason: response?.finishReason ?? null,
      rawText: response ? capText(response.text, cap, "rawText", capped) : null,
      repairedText:
        record.repairedText === undefined ? null : capText(record.repairedText, cap, "repairedText", capped),
      repairs: record.repairs,
      validationErrors: record.validationErrors,
      error: record.error ?? null,
      latencyMs: response?.latencyMs ?? null,
      timeToFirstTokenMs: response?.ttftMs ?? null,
      transportAttempts: response?.transportAttempts ?? record.transportAttempts ?? null,
      retryWaitsMs: response?.retryWaitsMs ?? [],
      inputTokens: response?.usage.promptTokens ?? null,
      outputTokens: response?.usage.completionTokens ?? null,
      costUsd: response?.costUsd ?? null,
      textCapChars: cap,
      capped,
      startedAt: record.startedAt,
    });

    await recordRunEvent(tx, params.runId, {
      type: "attempt",
      batchId: params.batchId,
      callId: call.id,
      attempt: record.attempt,
      purpose: record.purpose,
      outcome: record.outcome,
      finishReason: call.finishReason,
      latencyMs: call.latencyMs,
      transportAttempts: call.transportAttempts,
      inputTokens: call.inputTokens,
      outputTokens: call.outputTokens,
    });
    if (record.repairs.length > 0) {
      await recordRunEvent(tx, params.runId, {
        type: "repaired",
        batchId: params.batchId,
        callId: call.id,
        repairs: record.repairs,
      });
    }
    if (response && (record.outcome === "ok" || record.outcome === "repaired" || record.outcome === "invalid")) {
      await recordRunEvent(tx, params.runId, {
        type: "validated",
        batchId: params.batchId,
        callId: call.id,
        valid: record.outcome !== "invalid",
        errors: record.validationErrors,
      });
    }
  });
}
