"use client";

import { useFormatter, useTranslations } from "next-intl";
import { ServerErrorText } from "@/components/server-error";
import type { PromptTestResult } from "@/db/schema";
import type { Assertion, AssertionResult } from "@/lib/prompt-admin/assertions";

/** Render a cell's result: verdict, how the output was parsed or repaired, schema errors, assertions and costs. */
export function TestResultDetail({ result, assertions }: { result: PromptTestResult; assertions?: Assertion[] }) {
  const t = useTranslations("promptAdmin.tests.result");
  const tVerdict = useTranslations("promptAdmin.tests.verdicts");
  const tRepairs = useTranslations("promptAdmin.tests.repairs");

  const parsedHow =
    result.outcome === "repaired"
      ? t("repaired", {
          repairs: result.repairs.map((step) => (tRepairs.has(step) ? tRepairs(step) : step)).join(", "),
        })
      : result.outcome === "ok"
        ? t("parsedDirectly")
        : t("outcome", { outcome: result.outcome ?? "—" });

  return (
    <div className="flex flex-col gap-2 text-sm">
      <p>
        <VerdictBadge verdict={result.verdict} label={tVerdict(result.verdict)} /> {parsedHow}
      </p>
      {result.error ? <ServerErrorText error={result.error} withServerMessage className="text-red-800" /> : null}
      {result.validationErrors.length > 0 ? (
        <div>
          <p className="font-medium text-slate-800">{t("schemaErrors")}</p>
          <ul className="list-inside list-disc text-red-800">
            {result.validationErrors.map((issue) => (
              <li key={`${issue.path}:${issue.message}`}>
                <code>{issue.path}</code>: {issue.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <p className="font-medium text-slate-800">{t("assertions")}</p>
        <ul className="flex flex-col gap-0.5">
          {result.assertionResults.map((entry) => (
            <AssertionLine key={entry.index} entry={entry} assertion={assertions?.[entry.index]} />
          ))}
        </ul>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-slate-700 sm:grid-cols-3">
        <Metric
          label={t("latency")}
          value={result.latencyMs === null ? "—" : t("milliseconds", { value: result.latencyMs })}
        />
        <Metric
          label={t("ttft")}
          value={result.timeToFirstTokenMs === null ? "—" : t("milliseconds", { value: result.timeToFirstTokenMs })}
        />
        <Metric label={t("attempts")} value={String(result.attempts)} />
        <Metric
          label={t("tokens")}
          value={t("tokenCounts", { input: result.inputTokens ?? 0, output: result.outputTokens ?? 0 })}
        />
        <Metric
          label={t("cost")}
          value={result.costUsd === null ? t("unknownCost") : t("costValue", { value: result.costUsd })}
        />
        <Metric label={t("model")} value={result.model ?? "—"} />
      </dl>
      {result.rawText ? (
        <details>
          <summary className="cursor-pointer text-xs text-indigo-700">{t("rawOutput")}</summary>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs">
            {result.rawText}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

function AssertionLine({ entry, assertion }: { entry: AssertionResult; assertion?: Assertion }) {
  const t = useTranslations("promptAdmin.tests");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  // Up to 10 decimals, as in the range bounds, because the default of 3 would round small costs to 0.
  const actual =
    typeof entry.actual === "number"
      ? format.number(entry.actual, { maximumFractionDigits: 10 })
      : formatActual(entry.actual);
  const detail = entry.passed
    ? entry.actual === undefined
      ? t("passed")
      : t("passedWith", { actual })
    : t(`failures.${entry.failure ?? "invalid"}`, { actual });
  const description = assertion ? describeAssertion(assertion, t) : t(`kinds.${entry.kind}`);
  return (
    <li className={entry.passed ? "text-emerald-800" : "text-red-800"}>
      {entry.passed ? "✓" : "✗"} {tCommon("labelColon", { label: description })} {detail}
    </li>
  );
}

/** Describe in one line what an assertion checks, such as `items[0].item_id equals "A01"`. */
export function describeAssertion(
  assertion: Assertion,
  t: (key: string, values?: Record<string, string | number>) => string,
): string {
  const kind = t(`kinds.${assertion.kind}`);
  switch (assertion.kind) {
    case "equals":
    case "contains":
      return `${assertion.path || t("wholeOutput")} ${kind} ${JSON.stringify(assertion.value)}`;
    case "range":
      return describeRange(assertion, t);
    case "max_latency_ms":
    case "max_cost_usd":
      return t(`limits.${assertion.kind}`, { value: assertion.value });
    default:
      return kind;
  }
}

/**
 * Describe a range check in the translator's language, numbers formatted for its locale. The
 * assertion schema requires a minimum, a maximum or both.
 */
function describeRange(
  assertion: Extract<Assertion, { kind: "range" }>,
  t: (key: string, values?: Record<string, string | number>) => string,
): string {
  const subject = { target: assertion.path ? "field" : "output", path: assertion.path };
  if (assertion.min !== undefined && assertion.max !== undefined) {
    return t("ranges.between", { ...subject, min: assertion.min, max: assertion.max });
  }
  if (assertion.min !== undefined) return t("ranges.atLeast", { ...subject, min: assertion.min });
  return t("ranges.atMost", { ...subject, max: assertion.max ?? Number.POSITIVE_INFINITY });
}

function formatActual(actual: unknown): string {
  if (actual === undefined) return "—";
  const text = typeof actual === "string" ? actual : JSON.stringify(actual);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-slate-500">{label}</dt>
      <dd className="font-medium text-slate-900">{value}</dd>
    </div>
  );
}

const verdictClasses: Record<string, string> = {
  passed: "bg-emerald-100 text-emerald-900",
  failed: "bg-red-100 text-red-900",
  error: "bg-amber-100 text-amber-900",
  pending: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-900",
};

export function VerdictBadge({ verdict, label }: { verdict: string; label: string }) {
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${verdictClasses[verdict] ?? ""}`}>
      {label}
    </span>
  );
}
