"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { EvidenceChip } from "@/components/backlog/item-detail";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { FeedbackThemeView, SnippetView } from "@/lib/feedback/runs";
import type { SuggestionRunView } from "@/lib/feedback/suggestions";
import { parseServerErrorBody } from "@/lib/i18n/server-errors";
import type { RunActivity, RunEventMessage } from "@/lib/prioritization/ai-run-events";
import { FeedbackRunProgress, startFeedbackRunRequest } from "./feedback-runs";

/** Events after which stored results may have changed. */
const resultEvents = new Set(["batch_result", "run_finished"]);

function toChip(snippets: Record<string, SnippetView>, id: string) {
  const snippet = snippets[id];
  if (!snippet) return undefined;
  return { documentId: snippet.documentId, title: id, excerpt: snippet.text, sourceUrl: snippet.sourceUrl };
}

/**
 * Render the feedback page: summaries per theme with their cited snippets, and item suggestions from
 * feedback, each started as a pipeline run whose progress streams in.
 */
export function FeedbackWorkspace({
  workspaceId,
  themes,
  snippets,
  summaryRun,
  suggestions,
  canRunAi,
  canEdit,
  simulatedBadge,
}: {
  workspaceId: string;
  themes: FeedbackThemeView[];
  snippets: Record<string, SnippetView>;
  summaryRun: RunActivity | null;
  suggestions: SuggestionRunView | null;
  canRunAi: boolean;
  canEdit: boolean;
  simulatedBadge: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-8">
      <Summaries
        workspaceId={workspaceId}
        themes={themes}
        snippets={snippets}
        initialRun={summaryRun}
        canRunAi={canRunAi}
        simulatedBadge={simulatedBadge}
      />
      <Suggestions
        workspaceId={workspaceId}
        initial={suggestions}
        canRunAi={canRunAi}
        canEdit={canEdit}
        simulatedBadge={simulatedBadge}
      />
    </div>
  );
}

function Summaries({
  workspaceId,
  themes,
  snippets,
  initialRun,
  canRunAi,
  simulatedBadge,
}: {
  workspaceId: string;
  themes: FeedbackThemeView[];
  snippets: Record<string, SnippetView>;
  initialRun: RunActivity | null;
  canRunAi: boolean;
  simulatedBadge: ReactNode;
}) {
  const t = useTranslations("feedback");
  const localizeError = useLocalizeServerError();
  const format = useFormatter();
  const router = useRouter();
  const [run, setRun] = useState(initialRun);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const start = async (theme?: string | null) => {
    setStarting(true);
    const result = await startFeedbackRunRequest(
      workspaceId,
      "summaries",
      theme === undefined ? undefined : [theme ?? ""],
    );
    setStarting(false);
    if ("error" in result) {
      setError(result.error.code === "no_feedback" ? t("noFeedback") : localizeError(result.error));
      return;
    }
    setError(null);
    setRun(result.activity);
  };
  const onEvent = useCallback(
    (event: RunEventMessage) => {
      if (resultEvents.has(event.type)) router.refresh();
    },
    [router],
  );

  return (
    <section aria-labelledby="summaries-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="summaries-heading" className="text-lg font-semibold text-slate-900">
          {t("summaries.title")}
        </h2>
        {simulatedBadge}
        {canRunAi ? (
          <Button className="ml-auto" disabled={starting || themes.length === 0} onClick={() => start()}>
            {t("summaries.start")}
          </Button>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">{t("summaries.hint")}</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {run ? <FeedbackRunProgress key={run.runId} activity={run} canRunAi={canRunAi} onEvent={onEvent} /> : null}
      {themes.length === 0 ? <p className="text-sm text-slate-600">{t("noFeedback")}</p> : null}
      <ul className="grid gap-4 lg:grid-cols-2">
        {themes.map((theme) => (
          <li
            key={theme.theme ?? ""}
            className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4"
            data-testid="feedback-theme"
          >
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="text-base font-semibold text-slate-900">{theme.theme ?? t("unsorted")}</h3>
              <span className="text-xs text-slate-600">{t("snippetCount", { count: theme.snippetCount })}</span>
              {canRunAi ? (
                <Button variant="ghost" className="ml-auto" disabled={starting} onClick={() => start(theme.theme)}>
                  {t("summaries.startOne")}
                </Button>
              ) : null}
            </div>
            {theme.latestSummary ? (
              <div className="flex flex-col gap-2 text-sm" data-testid="theme-summary">
                <p className="text-slate-800">{theme.latestSummary.summary.summary}</p>
                {theme.latestSummary.summary.affected ? (
                  <p className="text-slate-700">
                    <span className="font-medium">{t("summaries.affected")}</span>{" "}
                    {theme.latestSummary.summary.affected}
                  </p>
                ) : null}
                <ul className="flex flex-col gap-1">
                  {theme.latestSummary.summary.asks.map((ask) => (
                    <li key={ask.text} className="flex flex-wrap items-center gap-1">
                      <span>{ask.text}</span>
                      <ul className="flex flex-wrap gap-1">
                        {ask.evidence_ids
                          .filter((id) => snippets[id])
                          .map((id) => (
                            <EvidenceChip key={id} workspaceId={workspaceId} id={id} document={toChip(snippets, id)} />
                          ))}
                      </ul>
                    </li>
                  ))}
                </ul>
                <p className="text-xs text-slate-500">
                  {t("summaries.meta", {
                    count: theme.latestSummary.summary.snippet_count,
                    date: theme.latestSummary.finishedAt
                      ? format.dateTime(new Date(theme.latestSummary.finishedAt), {
                          dateStyle: "medium",
                          timeStyle: "short",
                        })
                      : "—",
                  })}
                </p>
              </div>
            ) : (
              <p className="text-sm text-slate-600">{t("summaries.none")}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Suggestions({
  workspaceId,
  initial,
  canRunAi,
  canEdit,
  simulatedBadge,
}: {
  workspaceId: string;
  initial: SuggestionRunView | null;
  canRunAi: boolean;
  canEdit: boolean;
  simulatedBadge: ReactNode;
}) {
  const t = useTranslations("feedback.suggestions");
  const tFeedback = useTranslations("feedback");
  const localizeError = useLocalizeServerError();
  const [view, setView] = useState(initial);
  const [activity, setActivity] = useState<RunActivity | null>(initial?.activity ?? null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const runId = activity?.runId ?? null;

  useEffect(() => setView(initial), [initial]);

  const refetch = useCallback(async () => {
    if (!runId) return;
    const response = await fetch(`/api/v1/workspaces/${workspaceId}/feedback/suggestions?runId=${runId}`);
    if (response.ok) setView((await response.json()) as SuggestionRunView);
  }, [workspaceId, runId]);
  const onEvent = useCallback(
    (event: RunEventMessage) => {
      if (resultEvents.has(event.type)) void refetch();
    },
    [refetch],
  );

  const start = async () => {
    setBusy(true);
    const result = await startFeedbackRunRequest(workspaceId, "suggestions");
    setBusy(false);
    if ("error" in result) {
      setError(result.error.code === "no_feedback" ? tFeedback("noFeedback") : localizeError(result.error));
      return;
    }
    setError(null);
    setView(null);
    setActivity(result.activity);
  };

  const add = async (batchId: string, index: number) => {
    if (!runId) return;
    setBusy(true);
    const response = await fetch(`/api/v1/workspaces/${workspaceId}/feedback/suggestions/${runId}/items`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ batchId, index }),
    });
    setBusy(false);
    const body = (await response.json()) as { item?: { title: string }; error?: unknown };
    const serverError = parseServerErrorBody(body);
    if (!response.ok) setError(serverError ? localizeError(serverError) : response.statusText);
    else {
      setError(null);
      setNotice(t("added", { title: body.item?.title ?? "" }));
    }
    await refetch();
  };

  const batches = new Map((view?.batches ?? []).map((batch) => [batch.id, batch]));

  return (
    <section aria-labelledby="suggestions-heading" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="suggestions-heading" className="text-lg font-semibold text-slate-900">
          {t("title")}
        </h2>
        {simulatedBadge}
        {canRunAi ? (
          <Button className="ml-auto" disabled={busy} onClick={start}>
            {t("start")}
          </Button>
        ) : null}
      </div>
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {activity ? (
        <FeedbackRunProgress
          key={activity.runId}
          activity={activity}
          canRunAi={canRunAi}
          onEvent={onEvent}
          renderBatch={(batchId) => {
            const batch = batches.get(batchId);
            if (!batch || batch.suggestions.length === 0) return null;
            return (
              <ul className="flex flex-col gap-2">
                {batch.suggestions.map((suggestion) => (
                  <li
                    key={suggestion.index}
                    className="rounded-md border border-slate-200 bg-white p-3 text-sm"
                    data-testid="suggestion"
                  >
                    <p className="font-medium text-slate-900">{suggestion.title}</p>
                    <p className="mt-1 text-slate-700">{suggestion.description}</p>
                    <ul className="mt-1 flex flex-wrap gap-1">
                      {suggestion.evidenceIds.map((id) => (
                        <EvidenceChip
                          key={id}
                          workspaceId={workspaceId}
                          id={id}
                          document={view ? toChip(view.snippets, id) : undefined}
                        />
                      ))}
                    </ul>
                    <div className="mt-2">
                      {suggestion.duplicateOf ? (
                        <p className="text-xs text-slate-600">
                          {t("duplicate")}{" "}
                          <Link
                            href={`/w/${workspaceId}/backlog/items/${suggestion.duplicateOf.itemId}`}
                            className="text-indigo-700 hover:underline"
                          >
                            {suggestion.duplicateOf.ref} {suggestion.duplicateOf.title}
                          </Link>
                        </p>
                      ) : canEdit ? (
                        <Button variant="secondary" disabled={busy} onClick={() => add(batch.id, suggestion.index)}>
                          {t("add")}
                        </Button>
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            );
          }}
        />
      ) : (
        <p className="text-sm text-slate-600">{t("none")}</p>
      )}
    </section>
  );
}
