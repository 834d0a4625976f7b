"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FineTuningIssue, FineTuningValidation } from "@/lib/prompt-admin/fine-tuning-validator";
import { callApi, promptUrl } from "./api";

/** Check a fine-tuning file (exported, chosen or pasted) and report its problems by line. */
export function ValidateSection({
  promptKey,
  text,
  setText,
  validation,
  setValidation,
  defaultMaxTokens,
  onError,
}: {
  promptKey: string;
  text: string;
  setText: (text: string) => void;
  validation: FineTuningValidation | null;
  setValidation: (validation: FineTuningValidation | null) => void;
  defaultMaxTokens: number;
  onError: (message: string | null) => void;
}) {
  const t = useTranslations("promptAdmin.fineTuning");
  const fileId = useId();
  const textId = useId();
  const limitId = useId();
  const [maxTokens, setMaxTokens] = useState(defaultMaxTokens);

  async function run() {
    onError(null);
    try {
      setValidation(
        await callApi<FineTuningValidation>(promptUrl(promptKey, "/fine-tuning/validate"), {
          method: "POST",
          body: { jsonl: text, maxExampleTokens: maxTokens },
        }),
      );
    } catch (caught) {
      onError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <section
      aria-labelledby="validate-title"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="validate-title" className="text-lg font-semibold">
        {t("validateTitle")}
      </h2>
      <p className="text-sm text-slate-600">{t("validateDescription")}</p>
      <label htmlFor={fileId} className="flex flex-col text-sm">
        {t("file")}
        <input
          id={fileId}
          type="file"
          accept=".jsonl,.json,.txt,application/jsonl"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (file) setText(await file.text());
            setValidation(null);
          }}
        />
      </label>
      <label htmlFor={textId} className="flex flex-col text-sm">
        {t("content")}
        <textarea
          id={textId}
          rows={8}
          value={text}
          spellCheck={false}
          onChange={(event) => {
            setText(event.target.value);
            setValidation(null);
          }}
          className="rounded-md border border-slate-300 p-2 font-mono text-xs"
        />
      </label>
      <div className="flex flex-wrap items-end gap-3">
        <label htmlFor={limitId} className="flex flex-col text-sm">
          {t("maxTokens")}
          <input
            id={limitId}
            type="number"
            min={100}
            value={maxTokens}
            onChange={(event) => setMaxTokens(Number(event.target.value))}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <Button onClick={run} disabled={text.trim() === ""}>
          {t("validate")}
        </Button>
      </div>
      {validation ? <ValidationReport validation={validation} /> : null}
    </section>
  );
}

function ValidationReport({ validation }: { validation: FineTuningValidation }) {
  const t = useTranslations("promptAdmin.fineTuning");
  const describeIssue = (issue: FineTuningIssue) =>
    t(`issues.${issue.code}`, {
      line: issue.line ?? 0,
      message: (issue.messageIndex ?? 0) + 1,
      detail: issue.detail ?? "",
    });

  return (
    <div className="flex flex-col gap-2 text-sm">
      <Alert tone={validation.ok ? "success" : "error"}>
        {validation.ok
          ? t("valid", { count: validation.exampleCount })
          : t("invalid", { count: validation.issueCount })}
      </Alert>
      <p>
        {t("tokenSummary", {
          total: validation.totalTokens,
          largest: validation.largestExampleTokens,
          limit: validation.limits.exampleTokens,
        })}
        {validation.limits.totalTokens ? ` ${t("totalLimit", { limit: validation.limits.totalTokens })}` : ""}
      </p>
      {validation.warnings.map((warning) => (
        <p key={warning.code} className="text-amber-800">
          {describeIssue(warning)}
        </p>
      ))}
      {validation.errors.length > 0 ? (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("errorsCaption")}</caption>
          <thead className="text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-2 py-1">
                {t("line")}
              </th>
              <th scope="col" className="px-2 py-1">
                {t("problem")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {validation.errors.map((issue, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one line may have several problems.
              <tr key={index}>
                <td className="px-2 py-1 font-mono">{issue.line ?? "—"}</td>
                <td className="px-2 py-1">{describeIssue(issue)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
