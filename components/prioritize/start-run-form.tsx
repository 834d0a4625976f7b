"use client";

import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useId, useState } from "react";
import { languageLabel } from "@/components/runs/labels";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { type Framework, frameworks } from "@/lib/prioritization/scales";

type Scope = "all" | "selection" | "themes";

const fieldClasses =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600";

export interface StartRunDefaults {
  framework: Framework;
  /** The user's UI language, the default language of the rationales. */
  language: string;
  languages: string[];
  themes: string[];
  /** Items chosen on the backlog page (`?items=`), offered as the default scope. */
  selectedItemIds: string[];
}

/**
 * Start "Prioritize with AI": framework, rationale language, scope (whole backlog, the items
 * chosen on the backlog page, or themes) and batch settings. The REST API returns 202 with the
 * run id at once.
 */
export function StartRunForm({
  workspaceId,
  defaults,
  onStarted,
}: {
  workspaceId: string;
  defaults: StartRunDefaults;
  onStarted: (runId: string) => void;
}) {
  const t = useTranslations("prioritize.start");
  const locale = useLocale();
  const tFrameworks = useTranslations("backlog.frameworkNames");
  const localizeError = useLocalizeServerError();
  const [framework, setFramework] = useState(defaults.framework);
  const [language, setLanguage] = useState(defaults.language);
  const [scope, setScope] = useState<Scope>(defaults.selectedItemIds.length > 0 ? "selection" : "all");
  const [themes, setThemes] = useState<string[]>([]);
  const [maxItemsPerBatch, setMaxItemsPerBatch] = useState("8");
  const [staleAfterDays, setStaleAfterDays] = useState("180");
  const [proposeAgain, setProposeAgain] = useState(false);
  const proposeAgainHintId = useId();
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (scope === "themes" && themes.length === 0) {
      setError(t("chooseTheme"));
      return;
    }
    const perBatch = Number(maxItemsPerBatch);
    if (!Number.isInteger(perBatch) || perBatch < 1 || perBatch > 50) {
      setError(t("invalidBatchSize"));
      return;
    }
    const days = staleAfterDays.trim() === "" ? null : Number(staleAfterDays);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      setError(t("invalidStaleDays"));
      return;
    }

    setStarting(true);
    setError(null);
    try {
      const response = await fetch(`/api/v1/workspaces/${workspaceId}/prioritizations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          framework,
          language,
          maxItemsPerBatch: perBatch,
          staleAfterDays: days,
          ...(proposeAgain ? { proposeAgain } : {}),
          ...(scope === "selection" ? { itemIds: defaults.selectedItemIds } : {}),
          ...(scope === "themes" ? { themes } : {}),
        }),
      });
      const body = (await response.json()) as { runId?: string; error?: { code: string; message: string } };
      if (!response.ok || !body.runId) {
        setError(body.error ? localizeError(body.error) : t("failed"));
        return;
      }
      onStarted(body.runId);
    } catch {
      setError(t("failed"));
    } finally {
      setStarting(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
      aria-label={t("label")}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          {t("framework")}
          <select
            value={framework}
            onChange={(event) => setFramework(event.target.value as Framework)}
            className={fieldClasses}
          >
            {frameworks.map((option) => (
              <option key={option} value={option}>
                {tFrameworks(option)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          {t("language")}
          <select value={language} onChange={(event) => setLanguage(event.target.value)} className={fieldClasses}>
            {defaults.languages.map((option) => (
              <option key={option} value={option}>
                {languageLabel(option, locale)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          <legend className="mb-1">{t("scope")}</legend>
          <div className="flex flex-wrap gap-3 text-sm font-normal">
            <label className="flex items-center gap-1">
              <input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} />
              {t("scopeAll")}
            </label>
            {defaults.selectedItemIds.length > 0 ? (
              <label className="flex items-center gap-1">
                <input
                  type="radio"
                  name="scope"
                  checked={scope === "selection"}
                  onChange={() => setScope("selection")}
                />
                {t("scopeSelection", { count: defaults.selectedItemIds.length })}
              </label>
            ) : null}
            <label className="flex items-center gap-1">
              <input type="radio" name="scope" checked={scope === "themes"} onChange={() => setScope("themes")} />
              {t("scopeThemes")}
            </label>
          </div>
        </fieldset>
        <Button type="submit" disabled={starting}>
          {starting ? t("starting") : t("submit")}
        </Button>
      </div>

      {scope === "themes" ? (
        <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <legend className="mb-1 text-xs font-medium text-slate-700">{t("themes")}</legend>
          {defaults.themes.map((theme) => (
            <label key={theme} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={themes.includes(theme)}
                onChange={(event) =>
                  setThemes((current) =>
                    event.target.checked ? [...current, theme] : current.filter((value) => value !== theme),
                  )
                }
              />
              {theme}
            </label>
          ))}
        </fieldset>
      ) : null}

      <details className="text-sm">
        <summary className="cursor-pointer text-xs font-medium text-slate-700">{t("advanced")}</summary>
        <div className="mt-2 flex flex-wrap gap-3">
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
            {t("maxItemsPerBatch")}
            <input
              inputMode="numeric"
              value={maxItemsPerBatch}
              onChange={(event) => setMaxItemsPerBatch(event.target.value)}
              className={`${fieldClasses} w-24`}
            />
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
            {t("staleAfterDays")}
            <input
              inputMode="numeric"
              value={staleAfterDays}
              onChange={(event) => setStaleAfterDays(event.target.value)}
              className={`${fieldClasses} w-24`}
            />
            <span className="font-normal text-slate-600">{t("staleAfterDaysHint")}</span>
          </label>
          <div className="flex max-w-md flex-col gap-1 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={proposeAgain}
                onChange={(event) => setProposeAgain(event.target.checked)}
                aria-describedby={proposeAgainHintId}
              />
              {t("proposeAgain")}
            </label>
            <span id={proposeAgainHintId} className="text-xs text-slate-600">
              {t("proposeAgainHint")}
            </span>
          </div>
        </div>
      </details>

      {error ? <Alert tone="error">{error}</Alert> : null}
    </form>
  );
}
