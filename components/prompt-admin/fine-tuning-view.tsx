"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import type { FineTuningJobRow } from "@/db/schema";
import type { FineTuningExport } from "@/lib/prompt-admin/fine-tuning";
import type { FineTuningIssue, FineTuningValidation } from "@/lib/prompt-admin/fine-tuning-validator";
import { ApiError, callApi, promptUrl } from "./api";

const JOB_POLL_MS = 3000;
const finishedJobStatuses = new Set(["succeeded", "failed", "cancelled"]);

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 24 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Export recorded calls as fine-tuning JSONL, validate any such file, and (admins) start and follow jobs. */
export function FineTuningView({
  promptKey,
  isAdmin,
  defaultMaxTokens,
}: {
  promptKey: string;
  isAdmin: boolean;
  defaultMaxTokens: number;
}) {
  const t = useTranslations("promptAdmin.fineTuning");
  const [text, setText] = useState("");
  const [validation, setValidation] = useState<FineTuningValidation | null>(null);
  const [error, setError] = useState<string | null>(null);

  return (
    <div className="flex flex-col gap-6">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <ExportSection
        promptKey={promptKey}
        onExported={(exported) => {
          setText(exported.jsonl);
          setValidation(exported.validation);
        }}
        onError={setError}
      />
      <ValidateSection
        promptKey={promptKey}
        text={text}
        setText={setText}
        validation={validation}
        setValidation={setValidation}
        defaultMaxTokens={defaultMaxTokens}
        onError={setError}
      />
      {isAdmin ? (
        <JobsSection promptKey={promptKey} text={text} ready={validation?.ok ?? false} />
      ) : (
        <p className="text-sm text-slate-600">{t("jobsAdminsOnly")}</p>
      )}
    </div>
  );
}

function ExportSection({
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

function ValidateSection({
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

function JobsSection({ promptKey, text, ready }: { promptKey: string; text: string; ready: boolean }) {
  const t = useTranslations("promptAdmin.fineTuning");
  const format = useFormatter();
  const modelId = useId();
  const suffixId = useId();
  const [available, setAvailable] = useState<boolean | null>(null);
  const [jobs, setJobs] = useState<FineTuningJobRow[]>([]);
  const [baseModel, setBaseModel] = useState("");
  const [suffix, setSuffix] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const body = await callApi<{ available: boolean; jobs: FineTuningJobRow[] }>(
      promptUrl(promptKey, "/fine-tuning/jobs"),
    );
    setAvailable(body.available);
    setJobs(body.jobs);
  }, [promptKey]);

  useEffect(() => {
    load().catch((error: Error) => setMessage(error.message));
  }, [load]);

  // Follow unfinished jobs: each poll fetches the job's status from the provider.
  useEffect(() => {
    const open = jobs.filter((job) => !finishedJobStatuses.has(job.status));
    if (open.length === 0) return;
    const timer = setTimeout(async () => {
      const updated = await Promise.all(
        open.map((job) =>
          callApi<{ job: FineTuningJobRow }>(promptUrl(promptKey, `/fine-tuning/jobs/${job.id}`)).then(
            (body) => body.job,
          ),
        ),
      ).catch(() => []);
      setJobs((current) => current.map((job) => updated.find((entry) => entry.id === job.id) ?? job));
    }, JOB_POLL_MS);
    return () => clearTimeout(timer);
  }, [jobs, promptKey]);

  async function start() {
    setBusy(true);
    setMessage(null);
    try {
      await callApi(promptUrl(promptKey, "/fine-tuning/jobs"), {
        method: "POST",
        body: { jsonl: text, ...(baseModel ? { baseModel } : {}), ...(suffix ? { suffix } : {}) },
      });
      await load();
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-labelledby="jobs-title"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="jobs-title" className="text-lg font-semibold">
        {t("jobsTitle")}
      </h2>
      {available === false ? <Alert tone="info">{t("unavailable")}</Alert> : null}
      {message ? <Alert tone="error">{message}</Alert> : null}
      {available ? (
        <div className="flex flex-wrap items-end gap-3">
          <label htmlFor={modelId} className="flex flex-col text-sm">
            {t("baseModel")}
            <input
              id={modelId}
              value={baseModel}
              placeholder="gpt-4o-mini-2024-07-18"
              onChange={(event) => setBaseModel(event.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <label htmlFor={suffixId} className="flex flex-col text-sm">
            {t("suffix")}
            <input
              id={suffixId}
              value={suffix}
              maxLength={18}
              onChange={(event) => setSuffix(event.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <Button disabled={!ready || busy} onClick={start}>
            {t("start")}
          </Button>
          {!ready ? <p className="text-xs text-slate-600">{t("validateFirst")}</p> : null}
        </div>
      ) : null}
      {jobs.length > 0 ? (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("jobsCaption")}</caption>
          <thead className="text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-2 py-1">
                {t("started")}
              </th>
              <th scope="col" className="px-2 py-1">
                {t("status")}
              </th>
              <th scope="col" className="px-2 py-1">
                {t("model")}
              </th>
              <th scope="col" className="px-2 py-1">
                {t("examples")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {jobs.map((job) => (
              <tr key={job.id} data-testid="fine-tuning-job">
                <td className="px-2 py-1">
                  {format.dateTime(new Date(job.createdAt), { dateStyle: "medium", timeStyle: "short" })}
                </td>
                <td className="px-2 py-1">
                  {t.has(`statuses.${job.status}`) ? t(`statuses.${job.status}`) : job.status}
                  {job.error ? ` — ${job.error}` : ""}
                </td>
                <td className="px-2 py-1 font-mono text-xs">{job.fineTunedModel ?? job.baseModel}</td>
                <td className="px-2 py-1">{job.exampleCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
