"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { type ReactNode, useState } from "react";
import { RankChangeList } from "@/components/prioritize/rank-change-list";
import { Button, buttonClasses } from "@/components/ui/button";
import { chatUrlForQuestion } from "@/lib/chat/urls";
import type { CitedDocumentView } from "@/lib/prioritization/ai-evidence";
import type { RankChange } from "@/lib/prioritization/changes";
import type { InputName } from "@/lib/prioritization/scales";
import { formatEvidenceLabel } from "./evidence-label";
import { InputEditor } from "./input-editor";
import { useNumberFormat } from "./input-value";
import type { FrameworkView, HistoryRowView, ItemDetailView } from "./item-detail-data";
import { ItemForm } from "./item-form";
import { SourceBadge } from "./source-badge";

/**
 * Render an item's page: its fields (editable), its scores and inputs in every framework with a PM
 * override that needs a reason, the history of each input and the documents it cites.
 */
export function ItemDetail({
  workspaceId,
  view,
  themes,
  canEdit,
  canRunAi,
  simulatedBadge,
}: {
  workspaceId: string;
  view: ItemDetailView;
  themes: string[];
  canEdit: boolean;
  /** Whether the user may use chat, which "Explain" opens. */
  canRunAi: boolean;
  simulatedBadge: ReactNode;
}) {
  const showExplain = canRunAi;
  const t = useTranslations("backlog.detail");
  const tFrameworks = useTranslations("backlog.frameworkNames");
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [changes, setChanges] = useState<RankChange[] | null>(null);
  const chosen = view.frameworks.find((entry) => entry.framework === view.framework);
  const question =
    chosen?.rank !== null && chosen?.rank !== undefined
      ? t("explainRankedQuestion", {
          item: `${view.item.ref} ${view.item.title}`,
          rank: chosen.rank,
          framework: tFrameworks(view.framework),
        })
      : t("explainUnrankedQuestion", {
          item: `${view.item.ref} ${view.item.title}`,
          framework: tFrameworks(view.framework),
        });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-2">
        {showExplain ? (
          <Link
            href={chatUrlForQuestion(workspaceId, question, [view.item.ref])}
            className={buttonClasses("secondary")}
          >
            {t("explain")}
          </Link>
        ) : null}
        {canEdit ? (
          <Button variant="ghost" onClick={() => setEditing((value) => !value)}>
            {editing ? t("closeEdit") : t("edit")}
          </Button>
        ) : null}
        <Link href={`/w/${workspaceId}/backlog`} className={buttonClasses("ghost")}>
          {t("back")}
        </Link>
      </div>

      {editing ? (
        <section aria-label={t("edit")} className="rounded-lg border border-slate-200 bg-white p-4">
          <ItemForm
            workspaceId={workspaceId}
            themes={themes}
            item={{ id: view.item.id, version: view.item.version, values: view.item }}
            onDone={() => {
              setEditing(false);
              router.refresh();
            }}
          />
        </section>
      ) : (
        <ItemFields view={view} />
      )}

      {changes ? (
        <section aria-labelledby="changes-heading" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4">
          <h2 id="changes-heading" className="mb-2 text-base font-semibold text-indigo-900">
            {t("whatChanged")}
          </h2>
          <RankChangeList changes={changes} emptyText={t("noRankChange")} />
        </section>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-3">
        {view.frameworks.map((entry) => (
          <FrameworkCard
            key={entry.framework}
            workspaceId={workspaceId}
            itemId={view.item.id}
            version={view.item.version}
            entry={entry}
            chosen={entry.framework === view.framework}
            canEdit={canEdit}
            onChanged={setChanges}
          />
        ))}
      </div>

      <section aria-labelledby="history-heading" className="flex flex-col gap-3">
        <div className="flex items-center gap-3">
          <h2 id="history-heading" className="text-lg font-semibold text-slate-900">
            {t("history")}
          </h2>
          {view.history.some((row) => row.source === "ai") ? simulatedBadge : null}
        </div>
        <InputHistory workspaceId={workspaceId} history={view.history} evidence={view.evidence} />
      </section>

      <section aria-labelledby="documents-heading" className="flex flex-col gap-2">
        <h2 id="documents-heading" className="text-lg font-semibold text-slate-900">
          {t("linkedDocuments", { count: view.linkedDocuments.length })}
        </h2>
        <ul className="flex flex-col gap-1 text-sm">
          {view.linkedDocuments.map((document) => (
            <li key={document.id}>
              <Link href={`/w/${workspaceId}/knowledge/${document.id}`} className="text-indigo-700 hover:underline">
                <span className="mr-1 font-mono text-xs">{document.ref}</span>
                {document.title}
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function ItemFields({ view }: { view: ItemDetailView }) {
  const t = useTranslations("backlog");
  return (
    <dl className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[10rem_1fr]">
      <dt className="font-medium text-slate-600">{t("detail.description")}</dt>
      <dd className="whitespace-pre-wrap text-slate-900">{view.item.description || "—"}</dd>
      <dt className="font-medium text-slate-600">{t("detail.theme")}</dt>
      <dd>{view.item.theme ?? "—"}</dd>
      <dt className="font-medium text-slate-600">{t("detail.status")}</dt>
      <dd>{t(`statuses.${view.item.status}`)}</dd>
      <dt className="font-medium text-slate-600">{t("detail.quadrant")}</dt>
      <dd>{view.quadrant ? t(`quadrants.${view.quadrant}`) : "—"}</dd>
      <dt className="font-medium text-slate-600">{t("detail.links")}</dt>
      <dd className="flex flex-col gap-1">
        {view.item.links.length === 0
          ? "—"
          : view.item.links.map((link) => (
              <a
                key={link}
                href={link}
                rel="noreferrer"
                target="_blank"
                className="break-all text-indigo-700 hover:underline"
              >
                {link}
              </a>
            ))}
      </dd>
    </dl>
  );
}

function FrameworkCard({
  workspaceId,
  itemId,
  version,
  entry,
  chosen,
  canEdit,
  onChanged,
}: {
  workspaceId: string;
  itemId: string;
  /** The item version on screen, sent with each input edit. */
  version: number;
  entry: FrameworkView;
  chosen: boolean;
  canEdit: boolean;
  onChanged: (changes: RankChange[]) => void;
}) {
  const t = useTranslations("backlog");
  const format = useNumberFormat();
  const [editing, setEditing] = useState<InputName | null>(null);
  return (
    <section
      aria-label={t(`frameworkNames.${entry.framework}`)}
      className={`rounded-lg border bg-white p-4 ${chosen ? "border-indigo-300" : "border-slate-200"}`}
      data-framework={entry.framework}
    >
      <h3 className="text-base font-semibold text-slate-900">{t(`frameworkNames.${entry.framework}`)}</h3>
      <p className="mt-1 text-sm text-slate-700" data-testid={`framework-rank-${entry.framework}`}>
        {entry.rank === null
          ? t("detail.needsInput", { inputs: entry.missing.map((name) => t(`inputs.${name}`)).join(", ") })
          : t("detail.rankScore", { rank: entry.rank, score: format(entry.score ?? 0) })}
      </p>
      <ul className="mt-3 flex flex-col gap-2 text-sm">
        {entry.inputs.map((input) => (
          <li key={input.name} className="flex flex-col gap-1" data-input={input.name}>
            <div className="flex items-center justify-between gap-2">
              <span className="text-slate-700">{t(`inputs.${input.name}`)}</span>
              <span className="flex items-center gap-1">
                {input.value === null || input.source === null ? (
                  <span className="text-amber-800">{t("detail.missing")}</span>
                ) : (
                  <>
                    <span className="font-mono">{format(input.value)}</span>
                    <SourceBadge source={input.source} />
                  </>
                )}
                {canEdit ? (
                  <button
                    type="button"
                    onClick={() => setEditing(editing === input.name ? null : input.name)}
                    className="ml-1 text-xs font-medium text-indigo-700 hover:underline"
                    aria-expanded={editing === input.name}
                  >
                    {t("detail.set", { input: t(`inputs.${input.name}`) })}
                  </button>
                ) : null}
              </span>
            </div>
            {editing === input.name ? (
              <InputEditor
                workspaceId={workspaceId}
                itemId={itemId}
                input={input.name}
                initialValue={input.value}
                version={version}
                canClear={input.source === "pm"}
                onChanged={(changes) => {
                  setEditing(null);
                  onChanged(changes);
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function InputHistory({
  workspaceId,
  history,
  evidence,
}: {
  workspaceId: string;
  history: HistoryRowView[];
  evidence: Record<string, CitedDocumentView>;
}) {
  const t = useTranslations("backlog");
  if (history.length === 0) return <p className="text-sm text-slate-600">{t("detail.noHistory")}</p>;
  const inputs = [...new Set(history.map((row) => row.input))];
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {inputs.map((input) => (
        <section
          key={input}
          aria-label={t("detail.historyOf", { input: t(`inputs.${input}`) })}
          className="rounded-lg border border-slate-200 bg-white p-3"
        >
          <h3 className="mb-2 text-sm font-semibold text-slate-900">{t(`inputs.${input}`)}</h3>
          <ol className="flex flex-col gap-2">
            {history
              .filter((row) => row.input === input)
              .map((row) => (
                <HistoryEntry key={row.id} workspaceId={workspaceId} row={row} evidence={evidence} />
              ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

function HistoryEntry({
  workspaceId,
  row,
  evidence,
}: {
  workspaceId: string;
  row: HistoryRowView;
  evidence: Record<string, CitedDocumentView>;
}) {
  const t = useTranslations("backlog.detail");
  const format = useFormatter();
  const number = useNumberFormat();
  let value = row.value === null ? t("cleared") : number(row.value);
  if (row.value === null && row.source === "ai") value = t("insufficientEvidence");
  const time = format.dateTime(new Date(row.createdAt), { dateStyle: "medium", timeStyle: "short" });
  return (
    <li className="border-l-2 border-slate-200 pl-3 text-sm" data-testid="history-entry" data-source={row.source}>
      <p className="flex flex-wrap items-center gap-2">
        <SourceBadge source={row.source} />
        <span className="font-mono font-semibold">{value}</span>
        {row.source === "ai" ? (
          <span className="text-xs text-slate-600">{t(`proposalStatuses.${row.status}`)}</span>
        ) : null}
        <span className="text-xs text-slate-500">
          {row.author ? t("byAuthorAt", { author: row.author, time }) : t("at", { time })}
        </span>
        {row.reviewer && row.reviewedAt ? (
          <span className="text-xs text-slate-500">
            {t("reviewedBy", {
              reviewer: row.reviewer,
              time: format.dateTime(new Date(row.reviewedAt), { dateStyle: "medium", timeStyle: "short" }),
            })}
          </span>
        ) : null}
        {row.runId ? (
          <Link
            href={`/w/${workspaceId}/prioritize?run=${row.runId}`}
            className="text-xs text-indigo-700 hover:underline"
          >
            {t("openRun")}
          </Link>
        ) : null}
      </p>
      {row.rationale ? <p className="mt-1 text-slate-700">{row.rationale}</p> : null}
      {row.evidenceIds.length > 0 ? (
        <ul className="mt-1 flex flex-wrap gap-1">
          {row.evidenceIds.map((id) => (
            <EvidenceChip key={id} workspaceId={workspaceId} id={id} document={evidence[id]} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Render a cited document: its id links to the document's page and shows its excerpt as a tooltip. */
export function EvidenceChip({
  workspaceId,
  id,
  document,
}: {
  workspaceId: string;
  id: string;
  document?: { documentId: string; title: string; excerpt: string; sourceUrl: string | null };
}) {
  const t = useTranslations("backlog.detail");
  if (!document) {
    return (
      <li className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-500" title={t("evidenceGone")}>
        {formatEvidenceLabel(id)}
      </li>
    );
  }
  const label = formatEvidenceLabel(id, document);
  return (
    <li className="flex items-center gap-1 rounded bg-sky-50 px-1.5 py-0.5 text-xs ring-1 ring-sky-200">
      <Link
        href={`/w/${workspaceId}/knowledge/${document.documentId}`}
        title={`${document.title}\n\n${document.excerpt}`}
        className={label === id ? "font-mono text-sky-900 hover:underline" : "text-sky-900 hover:underline"}
        data-testid="evidence-link"
      >
        {label}
      </Link>
      {document.sourceUrl ? (
        <a
          href={document.sourceUrl}
          target="_blank"
          rel="noreferrer"
          className="text-sky-700"
          aria-label={t("openSource", { id: label })}
        >
          ↗
        </a>
      ) : null}
    </li>
  );
}
