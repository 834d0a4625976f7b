"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FineTuningJobRow } from "@/db/schema";
import { ApiError, callApi, promptUrl } from "./api";
import { useSingleFlight } from "./single-flight";

const JOB_POLL_MS = 3000;
const finishedJobStatuses = new Set(["succeeded", "failed", "cancelled"]);

/** Start a fine-tuning job from a checked file and follow the prompt's jobs; admins only. */
export function JobsSection({ promptKey, text, ready }: { promptKey: string; text: string; ready: boolean }) {
  const t = useTranslations("promptAdmin.fineTuning");
  const format = useFormatter();
  const modelId = useId();
  const suffixId = useId();
  const [available, setAvailable] = useState<boolean | null>(null);
  const [jobs, setJobs] = useState<FineTuningJobRow[]>([]);
  const [baseModel, setBaseModel] = useState("");
  const [suffix, setSuffix] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  // One start at a time, so a double-click creates one fine-tuning job.
  const { busy, runOnce } = useSingleFlight();

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

  const start = () => runOnce(startJob);

  async function startJob() {
    setMessage(null);
    try {
      await callApi(promptUrl(promptKey, "/fine-tuning/jobs"), {
        method: "POST",
        body: { jsonl: text, ...(baseModel ? { baseModel } : {}), ...(suffix ? { suffix } : {}) },
      });
      await load();
    } catch (error) {
      setMessage(error instanceof ApiError ? error.message : String(error));
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
                <td className="px-2 py-1">{format.number(job.exampleCount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
