"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { EditorContent } from "@/lib/prompt-admin/lint";
import { type Conflict, identifyConflictAuthor } from "./editor-state";

/**
 * Render the conflict screen: another editor, or this user in another tab or window, saved or
 * published this language since the page loaded. Their saved state and this editor's text are
 * shown side by side, because nothing was overwritten. The editor then keeps working on top of
 * theirs, or loads theirs.
 */
export function ConflictView({
  conflict,
  viewerId,
  onKeepMine,
  onLoadTheirs,
}: {
  conflict: Conflict;
  viewerId: string;
  onKeepMine: () => void;
  onLoadTheirs: () => void;
}) {
  const t = useTranslations("promptAdmin.conflict");
  const format = useFormatter();
  const authorship = identifyConflictAuthor(conflict.author, viewerId);
  const byViewer = authorship.who === "you";
  const title =
    authorship.who === "named"
      ? t(`title.named.${conflict.kind}`, { name: authorship.name })
      : t(`title.${authorship.who}.${conflict.kind}`);
  const theirs = conflict.theirs;
  const formatTime = (value: string) => format.dateTime(new Date(value), { dateStyle: "medium", timeStyle: "short" });
  let theirsLabel: string;
  if (!theirs) theirsLabel = t("theirsGone");
  else if ("versionNumber" in theirs) {
    const values = { version: theirs.versionNumber, time: formatTime(theirs.createdAt) };
    theirsLabel = byViewer ? t("yoursVersion", values) : t("theirsVersion", values);
  } else if (byViewer) theirsLabel = t("yoursDraft", { time: formatTime(theirs.updatedAt) });
  else {
    theirsLabel = t("theirsDraft", { name: theirs.updatedByName ?? t("someone"), time: formatTime(theirs.updatedAt) });
  }
  const mineLabel =
    conflict.kind === "publish" && conflict.mine
      ? t("minePublish", { version: conflict.mine.versionNumber })
      : t("mine");

  return (
    <section
      aria-labelledby="conflict-title"
      className="flex flex-col gap-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-4"
    >
      <h3 id="conflict-title" className="text-base font-semibold text-amber-900">
        {title}
      </h3>
      <Alert tone="info">{t(byViewer ? "nothingOverwrittenYou" : "nothingOverwritten")}</Alert>
      <div className="grid gap-3 md:grid-cols-2">
        <ContentColumn label={theirsLabel} content={theirs} testId="conflict-theirs" />
        <ContentColumn label={mineLabel} content={conflict.mine} testId="conflict-mine" />
      </div>
      <div className="flex flex-wrap gap-2">
        {conflict.kind === "publish" ? null : (
          <Button variant="secondary" onClick={onKeepMine}>
            {t("keepMine")}
          </Button>
        )}
        <Button variant="secondary" onClick={onLoadTheirs}>
          {conflict.kind === "publish" ? t("reload") : t("loadTheirs")}
        </Button>
      </div>
      {conflict.kind === "publish" ? null : <p className="text-xs text-amber-900">{t("keepMineHelp")}</p>}
    </section>
  );
}

function ContentColumn({ label, content, testId }: { label: string; content: EditorContent | null; testId: string }) {
  const t = useTranslations("promptAdmin.conflict");
  return (
    <figure
      data-testid={testId}
      className="flex min-w-0 flex-col gap-2 rounded-md border border-amber-200 bg-white p-3"
    >
      <figcaption className="text-sm font-semibold text-slate-800">{label}</figcaption>
      {content ? (
        <>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("systemText")}</p>
          <pre className="max-h-48 overflow-auto whitespace-pre-wrap break-words text-xs text-slate-800">
            {content.systemText}
          </pre>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("userTemplate")}</p>
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words text-xs text-slate-800">
            {content.userTemplate}
          </pre>
        </>
      ) : (
        <p className="text-sm text-slate-600">{t("empty")}</p>
      )}
    </figure>
  );
}
