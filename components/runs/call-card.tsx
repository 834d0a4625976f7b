import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ServerErrorText } from "@/components/server-error";
import type { ModelCall } from "@/db/schema";
import { languageLabel } from "./labels";

function TextBlock({ label, text }: { label: string; text: string }) {
  return (
    <div>
      <h4 className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</h4>
      <pre className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-800">
        {text}
      </pre>
    </div>
  );
}

/** Describe the HTTP requests behind a call: their count and, after retries, the time spent waiting. */
function describeRequests(call: ModelCall, t: Awaited<ReturnType<typeof getTranslations<"runs.detail">>>): string {
  if (call.transportAttempts === null) return "—";
  if (call.retryWaitsMs.length === 0) return t("requestsValue", { count: call.transportAttempts });
  const waitMs = call.retryWaitsMs.reduce((sum, wait) => sum + wait, 0);
  return t("requestsRetried", { count: call.transportAttempts, waitMs });
}

/** Render one model call of a batch: what was sent, what came back, and what the pipeline made of it. */
export async function CallCard({ call }: { call: ModelCall }) {
  const t = await getTranslations("runs.detail");
  const format = await getFormatter();
  const language = languageLabel(call.language, await getLocale());
  const version = call.promptVersion;
  const cappedFields = Object.keys(call.capped);

  return (
    <details className="rounded-md border border-slate-200 bg-white">
      <summary className="cursor-pointer px-3 py-2 text-sm">
        {t("callSummary", {
          attempt: call.attempt,
          execution: call.execution,
          purpose: t(`purposes.${call.purpose}`),
          outcome: t(`outcomes.${call.outcome}`),
          latency: call.latencyMs ?? 0,
        })}
      </summary>
      <div className="space-y-3 border-t border-slate-100 px-3 py-3 text-sm">
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 sm:grid-cols-4">
          <dt className="text-slate-500">{t("promptVersion")}</dt>
          <dd>
            {version.versionNumber === null
              ? t("promptFromFiles", { key: call.promptKey, language })
              : t("promptVersionValue", {
                  key: call.promptKey,
                  number: version.versionNumber,
                  language,
                })}
          </dd>
          <dt className="text-slate-500">{t("model")}</dt>
          <dd>{call.model ?? "—"}</dd>
          <dt className="text-slate-500">{t("finishReason")}</dt>
          <dd>{call.finishReason ?? "—"}</dd>
          <dt className="text-slate-500">{t("timeToFirstToken")}</dt>
          <dd>{call.timeToFirstTokenMs === null ? "—" : t("milliseconds", { value: call.timeToFirstTokenMs })}</dd>
          <dt className="text-slate-500">{t("requests")}</dt>
          <dd>{describeRequests(call, t)}</dd>
          <dt className="text-slate-500">{t("tokens")}</dt>
          <dd>{t("tokenCounts", { input: call.inputTokens ?? 0, output: call.outputTokens ?? 0 })}</dd>
          <dt className="text-slate-500">{t("cost")}</dt>
          <dd>
            {call.costUsd === null
              ? "—"
              : format.number(call.costUsd, { style: "currency", currency: "USD", maximumFractionDigits: 4 })}
          </dd>
          <dt className="text-slate-500">{t("parameters")}</dt>
          <dd className="col-span-3 font-mono text-xs">{JSON.stringify(call.parameters)}</dd>
        </dl>
        {call.error ? <ServerErrorText error={call.error} withServerMessage className="text-red-700" /> : null}
        {call.validationErrors.length > 0 ? (
          <div>
            <h4 className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("validationErrors")}</h4>
            <ul className="mt-1 list-disc pl-5 text-red-700">
              {call.validationErrors.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {call.repairs.length > 0 ? <p>{t("repairs", { steps: call.repairs.join(", ") })}</p> : null}
        {cappedFields.length > 0 ? (
          <p className="text-amber-700">{t("capped", { cap: call.textCapChars, fields: cappedFields.join(", ") })}</p>
        ) : null}
        {call.messages.map((message, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the messages of a stored call never change order.
          <TextBlock key={index} label={t("message", { role: message.role })} text={message.content} />
        ))}
        {call.rawText !== null ? <TextBlock label={t("rawOutput")} text={call.rawText} /> : null}
        {call.repairedText !== null ? <TextBlock label={t("repairedOutput")} text={call.repairedText} /> : null}
      </div>
    </details>
  );
}
