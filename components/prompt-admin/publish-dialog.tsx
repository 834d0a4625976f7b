"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { PublishGates } from "@/lib/prompt-admin/publishing";
import { callApi, languageUrl } from "./api";
import type { EditorVersion } from "./types";

export type PublishBlock = "lint" | "untested_changes" | null;

/**
 * The publish step: why publishing is blocked, in plain words, or the gates of the version about
 * to go live (a clean preview, and the test cases when the prompt's gate is on), with a note.
 */
export function PublishDialog({
  promptKey,
  language,
  latest,
  dirty,
  block,
  alreadyLive,
  busy,
  onPublish,
  onCancel,
}: {
  promptKey: string;
  language: string;
  latest: EditorVersion | null;
  dirty: boolean;
  block: PublishBlock;
  alreadyLive: boolean;
  busy: boolean;
  onPublish: (note: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("promptAdmin.publish");
  const noteId = useId();
  const [note, setNote] = useState("");
  const [gates, setGates] = useState<PublishGates | null>(null);
  const [gateError, setGateError] = useState<string | null>(null);

  useEffect(() => {
    if (dirty || !latest || block) return;
    let cancelled = false;
    callApi<PublishGates>(languageUrl(promptKey, language, `/versions/${latest.id}/gates`))
      .then((result) => {
        if (!cancelled) setGates(result);
      })
      .catch((error: Error) => {
        if (!cancelled) setGateError(error.message);
      });
    return () => {
      cancelled = true;
    };
  }, [promptKey, language, latest, dirty, block]);

  const allowed = !block && (dirty || (gates?.allowed ?? false)) && !(alreadyLive && !dirty);

  return (
    <section
      aria-label={t("title")}
      className="flex flex-col gap-3 rounded-md border border-indigo-200 bg-indigo-50 p-3"
    >
      <h4 className="text-sm font-semibold text-indigo-900">{t("title")}</h4>
      {block === "lint" ? <Alert tone="error">{t("blockedLint")}</Alert> : null}
      {block === "untested_changes" ? <Alert tone="error">{t("blockedUntested")}</Alert> : null}
      {!block && dirty ? (
        <p className="text-sm text-slate-700">{t("savesFirst", { version: (latest?.versionNumber ?? 0) + 1 })}</p>
      ) : null}
      {!block && !dirty && alreadyLive ? (
        <Alert tone="info">{t("alreadyLive", { version: latest?.versionNumber ?? 0 })}</Alert>
      ) : null}
      {gateError ? <Alert tone="error">{gateError}</Alert> : null}
      {!block && !dirty && gates && !alreadyLive ? (
        <GateList gates={gates} version={latest?.versionNumber ?? 0} />
      ) : null}
      <div className="flex flex-col gap-1">
        <label htmlFor={noteId} className="text-sm font-medium text-slate-800">
          {t("note")}
        </label>
        <input
          id={noteId}
          value={note}
          maxLength={500}
          onChange={(event) => setNote(event.target.value)}
          className="rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
      </div>
      <div className="flex gap-2">
        <Button disabled={!allowed || busy} onClick={() => onPublish(note)}>
          {busy ? t("publishing") : t("confirm")}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          {t("cancel")}
        </Button>
      </div>
    </section>
  );
}

function GateList({ gates, version }: { gates: PublishGates; version: number }) {
  const t = useTranslations("promptAdmin.publish");
  const tVerdict = useTranslations("promptAdmin.tests.verdicts");
  return (
    <ul className="flex flex-col gap-1 text-sm">
      <li className={gates.preview.clean ? "text-emerald-800" : "text-red-800"}>
        {gates.preview.clean
          ? t("previewClean")
          : t("previewUnresolved", {
              placeholders: gates.preview.unresolved.map((entry) => entry.source).join(", ") || "—",
            })}
      </li>
      {gates.tests.required ? (
        <li className={gates.tests.passed ? "text-emerald-800" : "text-red-800"}>
          {gates.tests.passed ? t("testsPassed", { version }) : t("testsMissing", { version })}
          <ul className="ml-4 list-disc">
            {gates.tests.cases.map((entry) => (
              <li key={entry.caseId}>
                {entry.name}: {entry.verdict ? tVerdict(entry.verdict) : t("notRun")}
              </li>
            ))}
          </ul>
        </li>
      ) : (
        <li className="text-slate-700">{t("gateOff")}</li>
      )}
    </ul>
  );
}
