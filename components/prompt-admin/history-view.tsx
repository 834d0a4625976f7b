"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useReducer, useState } from "react";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { LanguageHistory, VersionDiff } from "@/lib/prompt-admin/history";
import type { DiffSegment } from "@/lib/prompt-admin/word-diff";
import { ApiError, callApi, languageUrl, promptUrl, toServerError } from "./api";
import { currentDiffRequest, historyReducer, initialHistoryState } from "./history-state";
import { formatPublicationLine } from "./publication-label";
import { useSingleFlight } from "./single-flight";

/**
 * Versions of one language with author, note and time; a word-level diff between any two; and
 * rollback (publishing an older version again) with a note.
 */
export function HistoryView({
  promptKey,
  languages,
  initialLanguage,
  canEdit,
}: {
  promptKey: string;
  languages: string[];
  initialLanguage: string;
  canEdit: boolean;
}) {
  const t = useTranslations("promptAdmin.history");
  const tLanguages = useTranslations("promptAdmin.languages");
  const localizeError = useLocalizeServerError();
  const format = useFormatter();
  const formatTime = (at: string | Date) => format.dateTime(new Date(at), { dateStyle: "medium", timeStyle: "short" });
  const selectId = useId();
  const [state, dispatch] = useReducer(historyReducer, initialLanguage, initialHistoryState);
  const { language, history, from, to, diff } = state;
  const [rollbackTarget, setRollbackTarget] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const rollbackFlight = useSingleFlight();
  const languageName = (code: string) => (tLanguages.has(code) ? tLanguages(code) : code);

  const load = useCallback(
    async (historyLanguage: string) => {
      try {
        const loaded = await callApi<LanguageHistory>(languageUrl(promptKey, historyLanguage, "/history"));
        dispatch({ type: "historyLoaded", history: loaded });
      } catch (error) {
        dispatch({ type: "historyFailed", language: historyLanguage, error: toServerError(error) });
      }
    },
    [promptKey],
  );

  useEffect(() => {
    void load(language);
  }, [load, language]);

  // The reducer drops the response if the user picked other versions or another language meanwhile.
  const request = currentDiffRequest(state);
  const requestLanguage = request?.language;
  const requestFrom = request?.from;
  const requestTo = request?.to;
  useEffect(() => {
    if (!requestLanguage || !requestFrom || !requestTo) return;
    const sent = { language: requestLanguage, from: requestFrom, to: requestTo };
    const query = new URLSearchParams({ from: requestFrom, to: requestTo, fromLanguage: requestLanguage });
    callApi<VersionDiff>(promptUrl(promptKey, `/diff?${query}`)).then(
      (loaded) => dispatch({ type: "diffLoaded", request: sent, diff: loaded }),
      (error: unknown) => dispatch({ type: "diffFailed", request: sent, error: toServerError(error) }),
    );
  }, [promptKey, requestLanguage, requestFrom, requestTo]);

  function changeLanguage(next: string) {
    setMessage(null);
    setRollbackTarget(null);
    dispatch({ type: "languageChanged", language: next });
  }

  const rollback = (versionId: string) => rollbackFlight.runOnce(() => sendRollback(versionId));

  async function sendRollback(versionId: string) {
    setMessage(null);
    try {
      await callApi(languageUrl(promptKey, language, "/rollback"), {
        method: "POST",
        body: { versionId, basePublishedVersionId: history?.publishedVersionId ?? null, note },
      });
      setRollbackTarget(null);
      setNote("");
      await load(language);
      setMessage({ tone: "success", text: t("rolledBack") });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) await load(language);
      setMessage({ tone: "error", text: localizeError(toServerError(error)) });
    }
  }

  const live = history?.versions.find((version) => version.live);
  const versionLabel = (id: string) => {
    const version = history?.versions.find((entry) => entry.id === id);
    return version ? t("versionLabel", { version: version.versionNumber }) : "";
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <label htmlFor={selectId} className="text-sm font-medium">
          {t("language")}
        </label>
        <select
          id={selectId}
          value={language}
          onChange={(event) => changeLanguage(event.target.value)}
          className="self-start rounded-md border border-slate-300 px-2 py-1 text-sm"
        >
          {languages.map((code) => (
            <option key={code} value={code}>
              {languageName(code)} ({code})
            </option>
          ))}
        </select>
      </div>
      {state.error ? <Alert tone="error">{localizeError(state.error)}</Alert> : null}
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}

      <ol className="flex flex-col divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {history?.versions.map((version) => (
          <li key={version.id} className="flex flex-col gap-1 px-4 py-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <p className="font-medium">
                {t("versionLabel", { version: version.versionNumber })}
                {version.live ? (
                  <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs text-emerald-900">
                    {t("live")}
                  </span>
                ) : null}
              </p>
              <p className="text-xs text-slate-600">
                {version.authorName
                  ? t("savedBy", { name: version.authorName, time: formatTime(version.createdAt) })
                  : t("importedAt", { time: formatTime(version.createdAt) })}
              </p>
            </div>
            <p className="text-sm text-slate-700">{version.note || t("noNote")}</p>
            {version.publications.map((publication) => (
              <p key={`${publication.action}:${String(publication.at)}`} className="text-xs text-slate-600">
                {formatPublicationLine(publication, version.versionNumber, t, formatTime)}
              </p>
            ))}
            {canEdit && live && version.versionNumber < live.versionNumber && version.publishedBefore ? (
              rollbackTarget === version.id ? (
                <div className="flex flex-wrap items-end gap-2">
                  <label className="flex flex-col text-xs">
                    {t("rollbackNote")}
                    <input
                      value={note}
                      maxLength={500}
                      onChange={(event) => setNote(event.target.value)}
                      className="rounded-md border border-slate-300 px-2 py-1 text-sm"
                    />
                  </label>
                  <Button
                    variant="danger"
                    disabled={note.trim() === "" || rollbackFlight.busy}
                    onClick={() => rollback(version.id)}
                  >
                    {t("confirmRollback", { version: version.versionNumber })}
                  </Button>
                  <Button variant="ghost" onClick={() => setRollbackTarget(null)}>
                    {t("cancel")}
                  </Button>
                </div>
              ) : (
                <Button variant="secondary" className="self-start" onClick={() => setRollbackTarget(version.id)}>
                  {t("rollback")}
                </Button>
              )
            ) : null}
          </li>
        ))}
      </ol>

      <section
        aria-labelledby="diff-title"
        className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 id="diff-title" className="text-lg font-semibold">
          {t("diffTitle")}
        </h2>
        <div className="flex flex-wrap gap-3">
          {(["from", "to"] as const).map((side) => (
            <label key={side} className="flex flex-col text-xs">
              {t(side)}
              <select
                value={side === "from" ? from : to}
                onChange={(event) =>
                  dispatch({ type: side === "from" ? "fromChanged" : "toChanged", versionId: event.target.value })
                }
                className="rounded-md border border-slate-300 px-2 py-1 text-sm"
              >
                {history?.versions.map((version) => (
                  <option key={version.id} value={version.id}>
                    {versionLabel(version.id)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
        {diff ? (
          <>
            <p className="text-sm text-slate-600">
              {t("diffSummary", { added: diff.summary.added, removed: diff.summary.removed })}
            </p>
            <DiffBlock title={t("systemText")} segments={diff.systemText} />
            <DiffBlock title={t("userTemplate")} segments={diff.userTemplate} />
            {diff.parameters.changed ? (
              <p className="text-sm">
                {t("parametersChanged", {
                  before: JSON.stringify(diff.parameters.before),
                  after: JSON.stringify(diff.parameters.after),
                })}
              </p>
            ) : (
              <p className="text-sm text-slate-600">{t("parametersSame")}</p>
            )}
          </>
        ) : null}
      </section>
    </div>
  );
}

function DiffBlock({ title, segments }: { title: string; segments: DiffSegment[] }) {
  return (
    <figure className="flex flex-col gap-1">
      <figcaption className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</figcaption>
      <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 text-xs leading-5">
        {segments.map((segment, index) =>
          segment.op === "insert" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional.
            <ins key={index} className="bg-emerald-100 text-emerald-900 no-underline">
              {segment.text}
            </ins>
          ) : segment.op === "delete" ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional.
            <del key={index} className="bg-red-100 text-red-900">
              {segment.text}
            </del>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional.
            <span key={index}>{segment.text}</span>
          ),
        )}
      </pre>
    </figure>
  );
}
