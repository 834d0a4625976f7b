"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import {
  bulkUpdateItemsAction,
  deleteItemsAction,
  listMatchingItemIdsAction,
  restoreItemsAction,
} from "@/app/(app)/w/[workspaceId]/backlog/actions";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { type ItemStatus, itemStatuses } from "@/db/schema";
import { MAX_BULK_ITEMS } from "@/lib/backlog/schemas";
import { chatUrlForQuestion } from "@/lib/chat/urls";
import type { BacklogPageView, BacklogRowView } from "./backlog-data";
import { NeedsInputTable, RankedTable } from "./backlog-tables";
import { ItemForm } from "./item-form";
import type { BacklogQuery } from "./query";
import { checkSelectionLimits, MAX_PRIORITIZE_LINK_ITEMS, prioritizeSelectionHref } from "./selection-limits";
import { ValueEffortChart } from "./value-effort-chart";

const fieldClasses =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600";

/** Notice after a change, with undo for deletions. */
type Notice = { tone: "success" | "error"; text: string; undoIds?: string[] };

/**
 * Render the interactive part of the backlog page: selection across pages, bulk theme and status edits,
 * soft delete with undo, a new-item form, both tables and the value vs effort chart.
 */
export function BacklogWorkbench({
  workspaceId,
  view,
  query,
  canEdit,
  canRunAi,
}: {
  workspaceId: string;
  view: BacklogPageView;
  query: BacklogQuery;
  canEdit: boolean;
  canRunAi: boolean;
}) {
  const t = useTranslations("backlog");
  const localizeError = useLocalizeServerError();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<Notice | null>(null);
  const [creating, setCreating] = useState(false);
  const [bulkTheme, setBulkTheme] = useState("");
  const [bulkStatus, setBulkStatus] = useState<ItemStatus | "">("");
  const [pending, startTransition] = useTransition();
  const themeListId = useId();

  const toggle = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  const selectedIds = [...selected];
  const visibleRows = [...view.ranked.rows, ...view.needsInput.rows];
  const selectedRows = visibleRows.filter((row) => selected.has(row.id));
  const limits = checkSelectionLimits(selected.size);
  const prioritizeHref = prioritizeSelectionHref(workspaceId, selectedIds);

  const run = (work: () => Promise<Notice | null>) =>
    startTransition(async () => {
      setNotice(await work());
      router.refresh();
    });

  const selectAllMatching = () =>
    startTransition(async () => {
      const result = await listMatchingItemIdsAction(workspaceId, query);
      if (result.ok) toggle(result.data, true);
      else setNotice({ tone: "error", text: t("bulk.failed", { message: localizeError(result.error) }) });
    });

  const applyBulk = (changes: { theme?: string | null; status?: ItemStatus }) =>
    run(async () => {
      const result = await bulkUpdateItemsAction(workspaceId, { itemIds: selectedIds, ...changes });
      if (!result.ok) return { tone: "error", text: t("bulk.failed", { message: localizeError(result.error) }) };
      return { tone: "success", text: t("bulk.updated", { count: result.data }) };
    });

  const remove = () =>
    run(async () => {
      const result = await deleteItemsAction(workspaceId, selectedIds);
      if (!result.ok) return { tone: "error", text: t("bulk.failed", { message: localizeError(result.error) }) };
      setSelected(new Set());
      return { tone: "success", text: t("bulk.deleted", { count: result.data.length }), undoIds: result.data };
    });

  const undo = (ids: string[]) =>
    run(async () => {
      const result = await restoreItemsAction(workspaceId, ids);
      if (!result.ok) return { tone: "error", text: t("bulk.failed", { message: localizeError(result.error) }) };
      return { tone: "success", text: t("bulk.restored", { count: result.data.length }) };
    });

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center gap-2">
        {canEdit ? (
          <Button variant={creating ? "secondary" : "primary"} onClick={() => setCreating((value) => !value)}>
            {creating ? t("closeNewItem") : t("newItem")}
          </Button>
        ) : null}
        {canEdit ? (
          <Link href={`/w/${workspaceId}/backlog/import`} className={buttonClasses("secondary")}>
            {t("importCsv")}
          </Link>
        ) : null}
        <a
          href={`/api/v1/workspaces/${workspaceId}/items/export.csv?framework=${view.framework}`}
          className={buttonClasses("secondary")}
          download
        >
          {t("exportCsv")}
        </a>
        {canRunAi ? (
          <Link href={`/w/${workspaceId}/prioritize`} className={buttonClasses("secondary")}>
            {t("prioritizeAll")}
          </Link>
        ) : null}
        {view.matchingCount > 0 && selected.size < view.matchingCount && canEdit ? (
          <Button variant="ghost" disabled={pending} onClick={selectAllMatching}>
            {t("selectAllMatching", { count: view.matchingCount })}
          </Button>
        ) : null}
      </div>

      {creating ? (
        <section aria-label={t("newItem")} className="rounded-lg border border-slate-200 bg-white p-4">
          <ItemForm
            workspaceId={workspaceId}
            themes={view.themes}
            onDone={() => {
              setNotice({ tone: "success", text: t("created") });
              setCreating(false);
              router.refresh();
            }}
          />
        </section>
      ) : null}

      {notice ? (
        <Alert tone={notice.tone}>
          <span>{notice.text}</span>
          {notice.undoIds ? (
            <button
              type="button"
              disabled={pending}
              onClick={() => undo(notice.undoIds ?? [])}
              className="ml-3 font-semibold underline"
            >
              {t("bulk.undo")}
            </button>
          ) : null}
        </Alert>
      ) : null}

      {selected.size > 0 && canEdit ? (
        <section
          aria-label={t("bulk.label")}
          className="sticky top-2 z-10 flex flex-wrap items-end gap-3 rounded-lg border border-indigo-200 bg-indigo-50 p-3 shadow-sm"
        >
          <p className="text-sm font-semibold text-indigo-900">{t("bulk.selected", { count: selected.size })}</p>
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
            {t("bulk.theme")}
            <span className="flex gap-1">
              <input
                list={themeListId}
                value={bulkTheme}
                onChange={(event) => setBulkTheme(event.target.value)}
                className={fieldClasses}
              />
              <Button
                variant="secondary"
                disabled={pending || !limits.canChange}
                onClick={() => applyBulk({ theme: bulkTheme.trim() || null })}
              >
                {t("bulk.apply")}
              </Button>
            </span>
          </label>
          <datalist id={themeListId}>
            {view.themes.map((theme) => (
              <option key={theme} value={theme} />
            ))}
          </datalist>
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
            {t("bulk.status")}
            <span className="flex gap-1">
              <select
                value={bulkStatus}
                onChange={(event) => setBulkStatus(event.target.value as ItemStatus | "")}
                className={fieldClasses}
              >
                <option value="">{t("bulk.chooseStatus")}</option>
                {itemStatuses.map((status) => (
                  <option key={status} value={status}>
                    {t(`statuses.${status}`)}
                  </option>
                ))}
              </select>
              <Button
                variant="secondary"
                disabled={pending || !bulkStatus || !limits.canChange}
                onClick={() => bulkStatus && applyBulk({ status: bulkStatus })}
              >
                {t("bulk.apply")}
              </Button>
            </span>
          </label>
          <Button variant="danger" disabled={pending || !limits.canChange} onClick={remove}>
            {t("bulk.delete")}
          </Button>
          {canRunAi && prioritizeHref ? (
            <Link href={prioritizeHref} className={buttonClasses("secondary")}>
              {t("bulk.prioritize")}
            </Link>
          ) : null}
          {canRunAi ? <ExplainPair workspaceId={workspaceId} rows={selectedRows} /> : null}
          <Button variant="ghost" onClick={() => setSelected(new Set())}>
            {t("bulk.clear")}
          </Button>
          {limits.canChange ? null : (
            <p className="w-full text-sm text-indigo-900">{t("bulk.tooManyToChange", { max: MAX_BULK_ITEMS })}</p>
          )}
          {canRunAi && !limits.canPrioritize ? (
            <p className="w-full text-sm text-indigo-900">
              {t("bulk.tooManyToPrioritize", { max: MAX_PRIORITIZE_LINK_ITEMS })}
            </p>
          ) : null}
        </section>
      ) : null}

      {view.itemCount === 0 ? null : (
        <>
          <RankedTable
            workspaceId={workspaceId}
            framework={view.framework}
            page={view.ranked}
            query={query}
            selected={selected}
            onToggle={toggle}
            selectable={canEdit}
          />
          <ValueEffortChart framework={view.framework} chart={view.chart} workspaceId={workspaceId} />
          <NeedsInputTable
            workspaceId={workspaceId}
            framework={view.framework}
            page={view.needsInput}
            query={query}
            selected={selected}
            onToggle={toggle}
            selectable={canEdit}
          />
        </>
      )}
    </div>
  );
}

/** "Explain" for exactly two selected items on this page: why one ranks above the other. */
function ExplainPair({ workspaceId, rows }: { workspaceId: string; rows: BacklogRowView[] }) {
  const t = useTranslations("backlog");
  if (rows.length !== 2) return null;
  const [first, second] = [...rows].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity)) as [
    BacklogRowView,
    BacklogRowView,
  ];
  const question = t("explainPairQuestion", {
    above: `${first.ref} ${first.title}`,
    below: `${second.ref} ${second.title}`,
  });
  return (
    <Link
      href={chatUrlForQuestion(workspaceId, question, [first.ref, second.ref])}
      className={buttonClasses("secondary")}
    >
      {t("explainPair")}
    </Link>
  );
}
