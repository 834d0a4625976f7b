"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useId, useMemo, useState } from "react";
import { Alert, type AlertTone } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { type EditorContent, lintEditorContent, sameContent } from "@/lib/prompt-admin/lint";
import { ApiError, callApi, languageUrl } from "./api";
import { ConflictView } from "./conflict-view";
import { contentOf, findConflictAuthor, loadPane, type PaneState, rebasePane } from "./editor-state";
import { LanguagePicker } from "./language-picker";
import { LintList } from "./lint-list";
import { ParametersPanel } from "./parameters-panel";
import { type PublishBlock, PublishDialog } from "./publish-dialog";
import { useSingleFlight } from "./single-flight";
import { TemplateEditor } from "./template-editor";
import type { EditorLanguage, EditorPrompt, EditorVersion } from "./types";

interface SavedVersion {
  version: EditorVersion & { createdAt: string };
  created: boolean;
}

/** Render one language of the side-by-side editor: texts, checks, parameters, and save and publish actions. */
export function LanguagePane({
  prompt,
  viewerId,
  data,
  pane,
  setPane,
  other,
  languages,
  canEdit,
  gateOn,
  refresh,
  onSaved,
  onPreview,
  onLanguageChange,
  onAddLanguage,
}: {
  prompt: EditorPrompt;
  viewerId: string;
  data: EditorLanguage | undefined;
  pane: PaneState;
  setPane: (pane: PaneState) => void;
  other: PaneState | undefined;
  languages: string[];
  canEdit: boolean;
  gateOn: boolean;
  refresh: () => Promise<EditorLanguage[]>;
  /** Reads back the stored state after a write and applies it to this side with `savedContent` as saved. */
  onSaved: (savedContent: EditorContent) => Promise<EditorLanguage[]>;
  onPreview: () => void;
  onLanguageChange: (language: string) => void;
  onAddLanguage: (language: string) => void;
}) {
  const t = useTranslations("promptAdmin.editor");
  const tLanguages = useTranslations("promptAdmin.languages");
  const format = useFormatter();
  const noteId = useId();
  const lintId = useId();
  const [message, setMessage] = useState<{ tone: AlertTone; text: string } | null>(null);
  const flight = useSingleFlight();
  const busy = flight.busy;
  const [mode, setMode] = useState<"edit" | "saveVersion" | "publish">("edit");
  const [note, setNote] = useState("");

  const declared = useMemo(() => prompt.variables.map((variable) => variable.name), [prompt.variables]);
  const declaredSet = useMemo(() => new Set(declared), [declared]);
  const languageName = (language: string) => (tLanguages.has(language) ? tLanguages(language) : language);
  const issues = lintEditorContent(
    pane.content,
    declared,
    other ? { language: other.language, content: other.content } : undefined,
  );
  const latest = data?.latest ?? null;
  const unsaved = !sameContent(pane.content, pane.savedContent);
  const differsFromLatest = !latest || !sameContent(pane.content, contentOf(latest));
  let publishBlock: PublishBlock = null;
  if (issues.length > 0) publishBlock = "lint";
  else if (differsFromLatest && gateOn) publishBlock = "untested_changes";
  const readOnly = !canEdit || pane.conflict !== null;
  const update = (fields: Partial<PaneState["content"]>) =>
    setPane({ ...pane, content: { ...pane.content, ...fields } });

  // One write at a time: a second click while a save or publish is in flight does nothing.
  const run = <T,>(action: () => Promise<T>): Promise<T | undefined> =>
    flight.runOnce(async () => {
      setMessage(null);
      try {
        return await action();
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) await openConflict(error);
        else setMessage({ tone: "error", text: error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    });

  async function openConflict(error: ApiError) {
    const fresh = (await refresh()).find((entry) => entry.language === pane.language);
    if (error.details && "currentPublishedVersion" in error.details) {
      const theirsId = fresh?.publishedVersionId;
      const theirs = theirsId
        ? (await callApi<{ version: EditorVersion }>(languageUrl(prompt.key, pane.language, `/versions/${theirsId}`)))
            .version
        : null;
      const author = findConflictAuthor("publish", fresh);
      setPane({ ...pane, conflict: { kind: "publish", theirs, mine: fresh?.latest ?? null, author } });
    } else if (error.details && "currentDraft" in error.details) {
      const author = findConflictAuthor("draft", fresh);
      setPane({ ...pane, conflict: { kind: "draft", theirs: fresh?.draft ?? null, mine: pane.content, author } });
    } else {
      const author = findConflictAuthor("version", fresh);
      setPane({ ...pane, conflict: { kind: "version", theirs: fresh?.latest ?? null, mine: pane.content, author } });
    }
    setMode("edit");
  }

  const saveDraft = () =>
    run(async () => {
      await callApi(languageUrl(prompt.key, pane.language, "/draft"), {
        method: "PUT",
        body: { ...pane.content, baseVersionId: pane.baseVersionId, baseDraftRevision: pane.baseDraftRevision },
      });
      await onSaved(pane.content);
      setMessage({ tone: "success", text: t("draftSaved") });
    });

  async function postVersion(versionNote: string): Promise<EditorVersion> {
    const saved = await callApi<SavedVersion>(languageUrl(prompt.key, pane.language, "/versions"), {
      method: "POST",
      body: { ...pane.content, baseVersionId: pane.baseVersionId, note: versionNote },
    });
    return saved.version;
  }

  const saveVersion = () =>
    run(async () => {
      const version = await postVersion(note);
      await onSaved(pane.content);
      setMode("edit");
      setNote("");
      setMessage({ tone: "success", text: t("versionSaved", { version: version.versionNumber }) });
    });

  const publish = (publishNote: string) =>
    run(async () => {
      const saved = differsFromLatest || !latest ? await postVersion(publishNote) : null;
      const version = saved ?? latest;
      if (!version) return;
      try {
        await callApi(languageUrl(prompt.key, pane.language, "/publish"), {
          method: "POST",
          body: { versionId: version.id, basePublishedVersionId: pane.basePublishedVersionId, note: publishNote },
        });
      } catch (error) {
        // The new version is stored even when publishing it failed, so the pane moves onto it. A 409
        // conflict reloads the state on its own path.
        if (saved && !(error instanceof ApiError && error.status === 409)) await onSaved(pane.content);
        throw error;
      }
      await onSaved(pane.content);
      setMode("edit");
      setMessage({
        tone: "success",
        text: t("published", { version: version.versionNumber, language: languageName(pane.language) }),
      });
    });

  return (
    <section
      aria-label={languageName(pane.language)}
      className="flex min-w-0 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-end justify-between gap-2">
        <LanguagePicker
          language={pane.language}
          languages={languages}
          canAdd={canEdit}
          onChange={(language) => {
            setMessage(null);
            setMode("edit");
            onLanguageChange(language);
          }}
          onAdd={onAddLanguage}
        />
        <p className="text-xs text-slate-600">
          {data?.publishedVersionId
            ? t("liveVersion", { version: data.publishedVersionNumber ?? 0 })
            : t("notPublished")}
          {" · "}
          {latest ? t("latestVersion", { version: latest.versionNumber }) : t("noVersion")}
          {data?.draft
            ? ` · ${t("draftBy", {
                name: data.draft.updatedByName ?? t("someone"),
                time: format.dateTime(new Date(data.draft.updatedAt), { dateStyle: "medium", timeStyle: "short" }),
              })}`
            : ""}
          {unsaved ? ` · ${t("unsaved")}` : ""}
        </p>
      </div>

      {pane.conflict ? (
        <ConflictView
          conflict={pane.conflict}
          viewerId={viewerId}
          onKeepMine={() => setPane(rebasePane(pane, data))}
          onLoadTheirs={() => setPane(loadPane(data, pane.language))}
        />
      ) : null}

      <TemplateEditor
        label={t("systemText")}
        value={pane.content.systemText}
        onChange={(systemText) => update({ systemText })}
        declared={declaredSet}
        rows={10}
        readOnly={readOnly}
        describedBy={lintId}
      />
      <TemplateEditor
        label={t("userTemplate")}
        value={pane.content.userTemplate}
        onChange={(userTemplate) => update({ userTemplate })}
        declared={declaredSet}
        rows={12}
        readOnly={readOnly}
        describedBy={lintId}
      />
      <LintList id={lintId} issues={issues} declared={declared} />
      <ParametersPanel
        value={pane.content.parameters}
        onChange={(parameters) => update({ parameters })}
        readOnly={readOnly}
      />

      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}

      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={onPreview}>
          {t("preview")}
        </Button>
        {canEdit ? (
          <>
            <Button variant="secondary" disabled={busy || readOnly} onClick={saveDraft}>
              {t("saveDraft")}
            </Button>
            <Button
              variant="secondary"
              disabled={busy || readOnly}
              onClick={() => setMode(mode === "saveVersion" ? "edit" : "saveVersion")}
            >
              {t("saveVersion")}
            </Button>
            <Button disabled={busy || readOnly} onClick={() => setMode(mode === "publish" ? "edit" : "publish")}>
              {t("publish")}
            </Button>
          </>
        ) : (
          <p className="text-sm text-slate-600">{t("readOnly")}</p>
        )}
      </div>

      {mode === "saveVersion" ? (
        <div className="flex flex-col gap-2 rounded-md border border-slate-200 bg-slate-50 p-3">
          {issues.length > 0 ? <Alert tone="error">{t("fixBeforeVersion")}</Alert> : null}
          <label htmlFor={noteId} className="text-sm font-medium text-slate-800">
            {t("versionNote")}
          </label>
          <input
            id={noteId}
            value={note}
            maxLength={500}
            onChange={(event) => setNote(event.target.value)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
          <div className="flex gap-2">
            <Button disabled={busy || issues.length > 0} onClick={saveVersion}>
              {t("confirmSaveVersion")}
            </Button>
            <Button variant="ghost" onClick={() => setMode("edit")}>
              {t("cancel")}
            </Button>
          </div>
        </div>
      ) : null}

      {mode === "publish" ? (
        <PublishDialog
          promptKey={prompt.key}
          language={pane.language}
          latest={latest}
          dirty={differsFromLatest}
          block={publishBlock}
          alreadyLive={Boolean(latest && data?.publishedVersionId === latest.id)}
          busy={busy}
          onPublish={publish}
          onCancel={() => setMode("edit")}
        />
      ) : null}
    </section>
  );
}
