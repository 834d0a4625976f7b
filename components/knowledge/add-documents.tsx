"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useCallback, useState } from "react";
import { readResponseError } from "@/components/chat/errors";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { describeDocumentError } from "./document-errors";

type Outcome = { tone: "success" | "error"; text: string } | null;

/** Catalog key of the label of each field that the documents API can reject, keyed by its path. */
const fieldLabelKeys: Record<string, string> = {
  file: "fileLabel",
  title: "titleLabel",
  content: "contentLabel",
  kind: "kindLabel",
  language: "languageLabel",
  sourceUrl: "sourceUrlLabel",
  itemRef: "itemLabel",
  itemId: "itemLabel",
};

/**
 * Label of a field that the documents API can reject, as these forms show it. `t` translates the
 * `knowledge` namespace. Returns undefined for any other path.
 */
export function labelDocumentField(path: string, t: (key: string) => string): string | undefined {
  const key = fieldLabelKeys[path];
  return Object.hasOwn(fieldLabelKeys, path) && key ? t(key) : undefined;
}

/** Forms that add documents: a file upload and a pasted text. Both post to the documents API. */
export function AddDocuments({ workspaceId }: { workspaceId: string }) {
  const t = useTranslations("knowledge");
  const labelField = useCallback((path: string) => labelDocumentField(path, t), [t]);
  const localizeError = useLocalizeServerError(labelField);
  const router = useRouter();
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const url = `/api/v1/workspaces/${workspaceId}/documents`;

  const send = async (init: RequestInit, form: HTMLFormElement) => {
    setSaving(true);
    setOutcome(null);
    try {
      const response = await fetch(url, { method: "POST", ...init });
      if (!response.ok) {
        setOutcome({
          tone: "error",
          text: t("saveFailed", {
            message: describeDocumentError(await readResponseError(response), t, localizeError),
          }),
        });
        return;
      }
      const body = (await response.json()) as { documents: unknown[]; skippedExternalIds: string[] };
      const parts = [t("added", { count: body.documents.length })];
      if (body.skippedExternalIds.length > 0) parts.push(t("skipped", { count: body.skippedExternalIds.length }));
      setOutcome({ tone: "success", text: parts.join(" ") });
      form.reset();
      router.refresh();
    } catch (error) {
      setOutcome({
        tone: "error",
        text: t("saveFailed", { message: error instanceof Error ? error.message : String(error) }),
      });
    } finally {
      setSaving(false);
    }
  };

  const upload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send({ body: new FormData(event.currentTarget) }, event.currentTarget);
  };

  const paste = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const field = (name: string) => {
      const value = String(data.get(name) ?? "").trim();
      return value || undefined;
    };
    const body = {
      title: field("title"),
      content: String(data.get("content") ?? ""),
      kind: field("kind"),
      sourceUrl: field("sourceUrl"),
      language: field("language"),
      itemRef: field("itemRef"),
    };
    void send({ headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, event.currentTarget);
  };

  return (
    <section
      aria-labelledby="add-documents"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="add-documents" className="text-lg font-semibold text-slate-900">
        {t("addTitle")}
      </h2>
      {outcome ? <Alert tone={outcome.tone}>{outcome.text}</Alert> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <form onSubmit={upload} className="flex flex-col gap-3" aria-label={t("uploadTitle")}>
          <h3 className="text-sm font-semibold text-slate-800">{t("uploadTitle")}</h3>
          <div className="flex flex-col gap-1">
            <label htmlFor="knowledge-file" className="text-sm font-medium text-slate-800">
              {t("fileLabel")}
            </label>
            <input
              id="knowledge-file"
              name="file"
              type="file"
              required
              accept=".md,.markdown,.txt,.csv,.jsonl"
              className="text-sm"
              aria-describedby="knowledge-file-hint"
            />
            <p id="knowledge-file-hint" className="text-xs text-slate-600">
              {t("fileHint")}
            </p>
          </div>
          <TextField name="title" label={t("titleLabel")} hint={t("titleHint")} maxLength={200} />
          <TextField name="language" label={t("languageLabel")} hint={t("languageHint")} maxLength={20} />
          <TextField
            name="sourceUrl"
            type="url"
            label={t("sourceUrlLabel")}
            hint={t("sourceUrlHint")}
            maxLength={2000}
          />
          <div>
            <Button type="submit" disabled={saving}>
              {saving ? t("saving") : t("uploadButton")}
            </Button>
          </div>
        </form>
        <form onSubmit={paste} className="flex flex-col gap-3" aria-label={t("pasteTitle")}>
          <h3 className="text-sm font-semibold text-slate-800">{t("pasteTitle")}</h3>
          <TextField name="title" label={t("titleLabel")} required maxLength={200} />
          <div className="flex flex-col gap-1">
            <label htmlFor="knowledge-content" className="text-sm font-medium text-slate-800">
              {t("contentLabel")}
            </label>
            <textarea
              id="knowledge-content"
              name="content"
              required
              rows={6}
              className="rounded-md border border-slate-300 px-3 py-2 text-sm"
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="knowledge-kind" className="text-sm font-medium text-slate-800">
              {t("kindLabel")}
            </label>
            <select id="knowledge-kind" name="kind" className="rounded-md border border-slate-300 px-3 py-2 text-sm">
              <option value="note">{t("kindNote")}</option>
              <option value="feedback">{t("kindFeedback")}</option>
            </select>
          </div>
          <TextField name="language" label={t("languageLabel")} hint={t("languageHint")} maxLength={20} />
          <TextField
            name="sourceUrl"
            type="url"
            label={t("sourceUrlLabel")}
            hint={t("sourceUrlHint")}
            maxLength={2000}
          />
          <TextField name="itemRef" label={t("itemLabel")} hint={t("itemHint")} maxLength={100} />
          <div>
            <Button type="submit" disabled={saving}>
              {saving ? t("saving") : t("pasteButton")}
            </Button>
          </div>
        </form>
      </div>
    </section>
  );
}
