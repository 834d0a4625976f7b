"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { RankChange } from "@/lib/prioritization/changes";
import { RankChangeList } from "./rank-change-list";
import type { RunLabelValues } from "./run-labels";

export interface RunChoice {
  id: string;
  label: RunLabelValues;
}

type Mode = "since" | "preview" | `compare:${string}`;

const selectClasses =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600";

/**
 * "What changed and why" for a run: the moves of the latest review or override, then a chosen
 * comparison: since the run started, if every proposal were accepted, or this run against an
 * earlier one. Each line names the input changes that moved the item.
 */
export function WhatChanged({
  workspaceId,
  runId,
  otherRuns,
  lastChanges,
  refreshKey,
}: {
  workspaceId: string;
  runId: string;
  otherRuns: RunChoice[];
  lastChanges: RankChange[] | null;
  /**
   * Changes whenever the ranking may have moved, to fetch the comparison again: after each review
   * action, and whenever the reviewed state of the run's proposals changes.
   */
  refreshKey: string;
}) {
  const t = useTranslations("prioritize.changes");
  const [mode, setMode] = useState<Mode>("since");
  const [changes, setChanges] = useState<RankChange[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the signal to fetch the comparison again.
  useEffect(() => {
    const controller = new AbortController();
    const params = new URLSearchParams();
    if (mode === "since") params.set("mode", "since");
    else {
      params.set("mode", "preview");
      if (mode.startsWith("compare:")) params.set("baseRunId", mode.slice("compare:".length));
    }
    fetch(`/api/v1/workspaces/${workspaceId}/prioritizations/${runId}/changes?${params}`, {
      signal: controller.signal,
      cache: "no-store",
    })
      .then(async (response) => {
        const body = (await response.json()) as { changes?: RankChange[]; error?: { message: string } };
        if (!response.ok) throw new Error(body.error?.message ?? response.statusText);
        setChanges(body.changes ?? []);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason instanceof Error ? reason.message : String(reason));
      });
    return () => controller.abort();
  }, [workspaceId, runId, mode, refreshKey]);

  return (
    <section
      aria-labelledby="what-changed-heading"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-slate-50 p-4"
    >
      <h2 id="what-changed-heading" className="text-lg font-semibold text-slate-900">
        {t("title")}
      </h2>
      {lastChanges ? (
        <div className="flex flex-col gap-1" data-testid="last-changes">
          <h3 className="text-sm font-semibold text-slate-800">{t("lastAction")}</h3>
          <RankChangeList changes={lastChanges} emptyText={t("lastActionNone")} />
        </div>
      ) : null}
      <label className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-800">
        {t("compare")}
        <select value={mode} onChange={(event) => setMode(event.target.value as Mode)} className={selectClasses}>
          <option value="since">{t("modes.since")}</option>
          <option value="preview">{t("modes.preview")}</option>
          {otherRuns.map((run) => (
            <option key={run.id} value={`compare:${run.id}`}>
              {t("modes.compare", { ...run.label })}
            </option>
          ))}
        </select>
      </label>
      <p className="text-xs text-slate-600">
        {t(`hints.${mode === "since" || mode === "preview" ? mode : "compare"}`)}
      </p>
      {error ? <p className="text-sm text-rose-800">{error}</p> : null}
      {changes ? (
        <div data-testid="comparison-changes">
          <RankChangeList changes={changes} emptyText={t("none")} />
        </div>
      ) : null}
    </section>
  );
}
