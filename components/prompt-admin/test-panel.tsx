"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { PromptTestResult, PromptTestRun } from "@/db/schema";
import { parseServerErrorBody } from "@/lib/i18n/server-errors";
import type { EditorContent } from "@/lib/prompt-admin/lint";
import type { TestStreamEvent } from "@/lib/prompt-admin/test-execution";
import type { TestMatrix } from "@/lib/prompt-admin/test-matrix";
import { ApiError, callApi, promptUrl, readEventStream } from "./api";
import { useSingleFlight } from "./single-flight";
import { TestCaseForm } from "./test-case-form";
import { TestMatrixView } from "./test-matrix";
import { describeAssertion, TestResultDetail } from "./test-result";
import { canStartRunAll, formatTestRunLabel, isTestRunFinished } from "./test-run-view";
import type { TestCaseView } from "./types";

const POLL_MS = 750;

interface LiveRun {
  caseId: string;
  language: string;
  text: string;
  attempt: number;
  result: PromptTestResult | null;
  error: string | null;
}

/** Test cases of the prompt: add and edit them, run one on the editor's text, or run all as a job. */
export function TestPanel({
  promptKey,
  freeText,
  cases,
  onCasesChange,
  languages,
  panes,
  canEdit,
}: {
  promptKey: string;
  freeText: boolean;
  cases: TestCaseView[];
  onCasesChange: (cases: TestCaseView[]) => void;
  languages: string[];
  panes: Array<{ language: string; content: EditorContent }>;
  canEdit: boolean;
}) {
  const t = useTranslations("promptAdmin.tests");
  const tLanguages = useTranslations("promptAdmin.languages");
  const localizeError = useLocalizeServerError();
  const [editing, setEditing] = useState<TestCaseView | "new" | null>(null);
  const [live, setLive] = useState<LiveRun | null>(null);
  const [matrix, setMatrix] = useState<TestMatrix | null>(null);
  const [runs, setRuns] = useState<PromptTestRun[]>([]);
  const [compare, setCompare] = useState<[string, string]>(["", ""]);
  const [error, setError] = useState<string | null>(null);
  const languageName = (language: string) => (tLanguages.has(language) ? tLanguages(language) : language);
  // One flight per kind of action: starting "Run all", streaming one case, deleting a case.
  const runAllFlight = useSingleFlight();
  const runOneFlight = useSingleFlight();
  const deleteFlight = useSingleFlight();

  const loadRuns = useCallback(async () => {
    const body = await callApi<{ testRuns: PromptTestRun[] }>(promptUrl(promptKey, "/test-runs?mode=matrix&limit=10"));
    setRuns(body.testRuns);
  }, [promptKey]);

  useEffect(() => {
    loadRuns().catch(() => {});
  }, [loadRuns]);

  // Follow the current matrix until its run ends: a pipeline run's event stream reports when a cell
  // finished (polling is the fallback, and the only way for runs of free-text prompts).
  const testRunId = matrix?.testRun.id;
  const pipelineRunId = matrix?.testRun.pipelineRunId ?? null;
  const finished = matrix ? isTestRunFinished(matrix) : true;
  useEffect(() => {
    if (!testRunId || finished) return;
    const reload = () =>
      callApi<TestMatrix>(promptUrl(promptKey, `/test-runs/${testRunId}`))
        .then(setMatrix)
        .catch((caught: Error) => setError(caught instanceof ApiError ? localizeError(caught) : caught.message));
    const timer = setInterval(reload, pipelineRunId ? POLL_MS * 4 : POLL_MS);
    const source = pipelineRunId ? new EventSource(`/api/v1/runs/${pipelineRunId}/events`) : null;
    for (const type of ["batch_result", "batch_failed", "run_finished"]) source?.addEventListener(type, reload);
    return () => {
      clearInterval(timer);
      source?.close();
    };
  }, [testRunId, pipelineRunId, finished, promptKey, localizeError]);

  const runAll = () =>
    runAllFlight.runOnce(async () => {
      setError(null);
      try {
        const { testRun } = await callApi<{ testRun: PromptTestRun }>(promptUrl(promptKey, "/test-runs"), {
          method: "POST",
          body: {},
        });
        setMatrix(await callApi<TestMatrix>(promptUrl(promptKey, `/test-runs/${testRun.id}`)));
        await loadRuns();
      } catch (caught) {
        setError(caught instanceof ApiError ? localizeError(caught) : String(caught));
        // A 409 names the unfinished test run on the same versions: follow it instead.
        const openId = caught instanceof ApiError ? caught.details?.testRunId : undefined;
        if (typeof openId === "string") {
          await callApi<TestMatrix>(promptUrl(promptKey, `/test-runs/${openId}`))
            .then(setMatrix)
            .catch(() => {});
        }
      }
    });

  const runOne = (testCase: TestCaseView, pane: { language: string; content: EditorContent }) =>
    runOneFlight.runOnce(() => streamOne(testCase, pane));

  async function streamOne(testCase: TestCaseView, pane: { language: string; content: EditorContent }) {
    setError(null);
    setLive({ caseId: testCase.id, language: pane.language, text: "", attempt: 1, result: null, error: null });
    const response = await fetch(promptUrl(promptKey, "/tests/run"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ caseId: testCase.id, language: pane.language, versionId: null, content: pane.content }),
    });
    if (!response.ok) {
      const serverError = parseServerErrorBody(await response.json().catch(() => null));
      const message = serverError ? localizeError(serverError) : response.statusText;
      setLive((current) => current && { ...current, error: message });
      return;
    }
    await readEventStream<TestStreamEvent>(response, (event) => {
      setLive((current) => {
        if (!current) return current;
        if (event.type === "delta") {
          // A correction retry starts a new response.
          return event.attempt === current.attempt
            ? { ...current, text: current.text + event.text }
            : { ...current, attempt: event.attempt, text: event.text };
        }
        if (event.type === "result") return { ...current, result: event.result };
        if (event.type === "error") return { ...current, error: event.message };
        return current;
      });
    });
  }

  const remove = (testCase: TestCaseView) =>
    deleteFlight.runOnce(async () => {
      setError(null);
      try {
        await callApi(promptUrl(promptKey, `/tests/${testCase.id}`), { method: "DELETE" });
        onCasesChange(cases.filter((entry) => entry.id !== testCase.id));
      } catch (caught) {
        setError(caught instanceof ApiError ? localizeError(caught) : String(caught));
      }
    });

  const liveCase = live ? cases.find((entry) => entry.id === live.caseId) : undefined;

  return (
    <section
      aria-labelledby="tests-title"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="tests-title" className="text-lg font-semibold text-slate-900">
          {t("title")}
        </h2>
        {canEdit ? (
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setEditing("new")}>
              {t("add")}
            </Button>
            <Button
              onClick={runAll}
              disabled={!canStartRunAll({ caseCount: cases.length, starting: runAllFlight.busy, matrix })}
              aria-busy={runAllFlight.busy || !finished}
            >
              {t("runAll")}
            </Button>
          </div>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">{t("runAllHelp")}</p>
      {error ? <Alert tone="error">{error}</Alert> : null}

      {editing ? (
        <TestCaseForm
          promptKey={promptKey}
          languages={languages}
          freeText={freeText}
          existing={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            onCasesChange(
              editing === "new" ? [...cases, saved] : cases.map((entry) => (entry.id === saved.id ? saved : entry)),
            );
            setEditing(null);
          }}
        />
      ) : null}

      {cases.length === 0 ? <p className="text-sm text-slate-600">{t("none")}</p> : null}
      <ul className="flex flex-col divide-y divide-slate-100">
        {cases.map((testCase) => (
          <li key={testCase.id} className="flex flex-col gap-1 py-2">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p className="font-medium text-slate-900">
                {testCase.name} <span className="text-xs text-slate-500">({languageName(testCase.language)})</span>
              </p>
              {canEdit ? (
                <div className="flex flex-wrap gap-1">
                  {panes.map((pane) => (
                    <Button
                      key={pane.language}
                      variant="secondary"
                      disabled={runOneFlight.busy}
                      onClick={() => runOne(testCase, pane)}
                    >
                      {t("runOn", { language: languageName(pane.language) })}
                    </Button>
                  ))}
                  <Button variant="ghost" onClick={() => setEditing(testCase)}>
                    {t("edit")}
                  </Button>
                  <Button variant="ghost" disabled={deleteFlight.busy} onClick={() => remove(testCase)}>
                    {t("delete")}
                  </Button>
                </div>
              ) : null}
            </div>
            <p className="text-xs text-slate-600">
              {testCase.assertions.map((assertion) => describeAssertion(assertion, t)).join(" · ")}
            </p>
          </li>
        ))}
      </ul>

      {live ? (
        <section
          aria-label={t("liveTitle")}
          className="flex flex-col gap-2 rounded-md border border-sky-200 bg-sky-50 p-3"
        >
          <h3 className="text-sm font-semibold">
            {t("liveHeading", { name: liveCase?.name ?? "", language: languageName(live.language) })}
          </h3>
          <pre
            aria-live="polite"
            className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-white p-2 text-xs"
          >
            {live.text || t("waiting")}
          </pre>
          {live.error ? <Alert tone="error">{live.error}</Alert> : null}
          {live.result ? <TestResultDetail result={live.result} assertions={liveCase?.assertions} /> : null}
        </section>
      ) : null}

      {matrix ? <TestMatrixView matrix={matrix} cases={cases} caption={t("matrixCaption")} /> : null}

      {runs.length > 1 ? (
        <CompareRuns promptKey={promptKey} runs={runs} cases={cases} compare={compare} setCompare={setCompare} />
      ) : null}
    </section>
  );
}

/** Two test runs side by side, such as the matrices of two versions. */
function CompareRuns({
  promptKey,
  runs,
  cases,
  compare,
  setCompare,
}: {
  promptKey: string;
  runs: PromptTestRun[];
  cases: TestCaseView[];
  compare: [string, string];
  setCompare: (value: [string, string]) => void;
}) {
  const t = useTranslations("promptAdmin.tests");
  const format = useFormatter();
  const [matrices, setMatrices] = useState<Array<TestMatrix | null>>([null, null]);

  useEffect(() => {
    Promise.all(
      compare.map((id) => (id ? callApi<TestMatrix>(promptUrl(promptKey, `/test-runs/${id}`)) : Promise.resolve(null))),
    )
      .then(setMatrices)
      .catch(() => setMatrices([null, null]));
  }, [compare, promptKey]);

  const label = (run: PromptTestRun) =>
    formatTestRunLabel(run, (date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" }), t("draft"));

  return (
    <section aria-labelledby="compare-title" className="flex flex-col gap-2">
      <h3 id="compare-title" className="text-base font-semibold">
        {t("compareTitle")}
      </h3>
      <div className="flex flex-wrap gap-2">
        {[0, 1].map((side) => (
          <label key={side} className="flex flex-col text-xs">
            {side === 0 ? t("compareLeft") : t("compareRight")}
            <select
              value={compare[side]}
              onChange={(event) =>
                setCompare(side === 0 ? [event.target.value, compare[1]] : [compare[0], event.target.value])
              }
              className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            >
              <option value="">{t("chooseRun")}</option>
              {runs.map((run) => (
                <option key={run.id} value={run.id}>
                  {label(run)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      <div className="grid gap-3 lg:grid-cols-2">
        {matrices.map((entry, side) =>
          entry ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the two sides are fixed positions.
            <TestMatrixView key={side} matrix={entry} cases={cases} caption={label(entry.testRun)} />
          ) : null,
        )}
      </div>
    </section>
  );
}
