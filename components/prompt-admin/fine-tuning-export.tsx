"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import type { FineTuningExport } from "@/lib/prompt-admin/fine-tuning";
import type { FineTuningValidation } from "@/lib/prompt-admin/fine-tuning-validator";
import { callApi, promptUrl } from "./api";

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Export a date range of recorded calls as fine-tuning JSONL, with a download link. */
export function ExportSection({
  promptKey,
  onExported,
  onError,
}: {
  promptKey: string;
  onExported: (exported: FineTuningExport & { validation: FineTuningValidation }) => void;
  onError: (message: string | null) => void;
}) {
  const t = useTranslations("promptAdmin.fineTuning");
  const fromId = useId();
  const toId = useId();
  const acceptedId = useId();
  const [from, setFrom] = useState(daysAgo(30));
  const [to, setTo] = useState(daysAgo(0));
  const [acceptedOnly, setAcceptedOnly] = useState(false);
  const [result, setResult] = useState<(FineTuningExport & { validation: FineTuningValidation }) | null>(null);
  const query = `from=${from}&to=${to}&acceptedOnly=${acceptedOnly}`;

  async function run() {
    onError(null);
    try {
      const exported = await callApi<FineTuningExport & { validation: FineTuningValidation }>(
        promptUrl(promptKey, `/fine-tuning/export?${query}`),
      );
      setResult(exported);
      onExported(exported);
    } catch (caught) {
      onError(caught instanceof Error ? caught.message : String(caught));
    }
  }

  return (
    <section
      aria-labelledby="export-title"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="export-title" className="text-lg font-semibold">
        {t("exportTitle")}
      </h2>
      <p className="text-sm text-slate-600">{t("exportDescription")}</p>
      <div className="flex flex-wrap items-end gap-3">
        <label htmlFor={fromId} className="flex flex-col text-sm">
          {t("from")}
          <input
            id={fromId}
            type="date"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <label htmlFor={toId} className="flex flex-col text-sm">
          {t("to")}
          <input
            id={toId}
            type="date"
            value={to}
            onChange={(event) => setTo(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
        <label htmlFor={acceptedId} className="flex items-center gap-2 text-sm">
          <input
            id={acceptedId}
            type="checkbox"
            checked={acceptedOnly}
            onChange={(event) => setAcceptedOnly(event.target.checked)}
          />
          {t("acceptedOnly")}
        </label>
        <Button onClick={run}>{t("export")}</Button>
      </div>
      {result ? (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <p>
            {t("exported", {
              count: result.exampleCount,
              capped: result.skipped.capped,
              invalid: result.skipped.invalid,
            })}
          </p>
          {result.exampleCount > 0 ? (
            <a
              href={promptUrl(promptKey, `/fine-tuning/export?${query}&format=jsonl`)}
              className={buttonClasses("secondary")}
            >
              {t("download")}
            </a>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
