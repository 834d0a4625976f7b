"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { type Framework, frameworks } from "@/lib/prioritization/scales";
import type { BacklogRowView, TablePage } from "./backlog-data";
import { useNumberFormat } from "./input-value";
import { type BacklogQuery, buildBacklogSearch } from "./query";
import { SourceBadge } from "./source-badge";

const cell = "px-3 py-2 align-top";
const headCell = "px-3 py-2 text-left font-semibold";

interface TableProps {
  workspaceId: string;
  framework: Framework;
  page: TablePage;
  query: BacklogQuery;
  selected: ReadonlySet<string>;
  onToggle: (ids: string[], on: boolean) => void;
  selectable: boolean;
}

function SelectCell({ row, selected, onToggle }: { row: BacklogRowView } & Pick<TableProps, "selected" | "onToggle">) {
  const t = useTranslations("backlog.table");
  return (
    <td className={cell}>
      <input
        type="checkbox"
        aria-label={t("select", { item: `${row.ref} ${row.title}` })}
        checked={selected.has(row.id)}
        onChange={(event) => onToggle([row.id], event.target.checked)}
      />
    </td>
  );
}

function SelectAllCell({ page, selected, onToggle }: Pick<TableProps, "page" | "selected" | "onToggle">) {
  const t = useTranslations("backlog.table");
  const ids = page.rows.map((row) => row.id);
  const all = ids.length > 0 && ids.every((id) => selected.has(id));
  return (
    <th scope="col" className={headCell}>
      <input
        type="checkbox"
        aria-label={t("selectPage")}
        checked={all}
        onChange={(event) => onToggle(ids, event.target.checked)}
      />
    </th>
  );
}

function ItemCell({ workspaceId, row }: { workspaceId: string; row: BacklogRowView }) {
  return (
    <td className={`${cell} min-w-64`}>
      <Link href={`/w/${workspaceId}/backlog/items/${row.id}`} className="font-medium text-slate-900 hover:underline">
        <span className="mr-1 font-mono text-xs text-slate-500">{row.ref}</span>
        {row.title}
      </Link>
    </td>
  );
}

/** Render the chosen framework's inputs: value and source, or a dash when missing. */
function InputCells({ row }: { row: BacklogRowView }) {
  const format = useNumberFormat();
  const t = useTranslations("backlog.table");
  return (
    <>
      {row.inputs.map((input) => (
        <td key={input.name} className={`${cell} whitespace-nowrap`} data-input={input.name}>
          {input.value === null || input.source === null ? (
            <span className="text-slate-400" title={t("missingValue")}>
              —
            </span>
          ) : (
            <span className="inline-flex items-center gap-1">
              {format(input.value)} <SourceBadge source={input.source} />
            </span>
          )}
        </td>
      ))}
    </>
  );
}

/** Other frameworks' ranks beside the chosen one, with the difference (positive: ranked lower there). */
function OtherRanks({ row, framework }: { row: BacklogRowView; framework: Framework }) {
  const t = useTranslations("backlog");
  return (
    <td className={`${cell} whitespace-nowrap text-xs text-slate-700`}>
      {frameworks
        .filter((other) => other !== framework)
        .map((other) => {
          const rank = row.ranks[other];
          const difference = row.differences[other];
          return (
            <span key={other} className="mr-2 inline-block" data-framework={other}>
              {t(`frameworkNames.${other}`)}{" "}
              {rank === null ? (
                <span title={t("table.notRanked")}>—</span>
              ) : (
                <>
                  #{rank}
                  {difference ? (
                    <span
                      className={difference > 0 ? "text-rose-700" : "text-emerald-700"}
                      title={t("table.differenceHint")}
                    >
                      {" "}
                      ({difference > 0 ? `+${difference}` : difference})
                    </span>
                  ) : null}
                </>
              )}
            </span>
          );
        })}
    </td>
  );
}

function Pagination({ page, param, query }: { page: TablePage; param: "page" | "needsPage"; query: BacklogQuery }) {
  const t = useTranslations("backlog.table");
  const pathname = usePathname();
  if (page.pageCount <= 1) return null;
  const link = (target: number, label: string) => (
    <Link
      href={`${pathname}${buildBacklogSearch(query, { page: query.page, needsPage: query.needsPage, [param]: target })}`}
      className="rounded px-2 py-1 font-medium text-indigo-700 hover:bg-indigo-50"
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label={t("pagination")} className="flex items-center justify-end gap-2 px-3 py-2 text-sm">
      {page.page > 1 ? link(page.page - 1, t("previous")) : null}
      <span className="text-slate-600">{t("pageOf", { page: page.page, count: page.pageCount })}</span>
      {page.page < page.pageCount ? link(page.page + 1, t("next")) : null}
    </nav>
  );
}

function TableFrame({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** Render the ranked items, best first, with scores, input sources and the other frameworks' ranks. */
export function RankedTable(props: TableProps) {
  const { workspaceId, framework, page, selected, onToggle, selectable } = props;
  const t = useTranslations("backlog");
  const format = useNumberFormat();
  return (
    <section aria-labelledby="ranked-heading" className="flex flex-col gap-2">
      <h2 id="ranked-heading" className="text-lg font-semibold text-slate-900">
        {t("table.rankedTitle", { count: page.total, framework: t(`frameworkNames.${framework}`) })}
      </h2>
      <TableFrame caption={t("table.rankedCaption", { framework: t(`frameworkNames.${framework}`) })}>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {selectable ? <SelectAllCell page={page} selected={selected} onToggle={onToggle} /> : null}
            <th scope="col" className={headCell}>
              {t("table.rank")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.item")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.theme")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.score")}
            </th>
            {page.rows[0]?.inputs.map((input) => (
              <th key={input.name} scope="col" className={headCell}>
                {t(`inputs.${input.name}`)}
              </th>
            ))}
            <th scope="col" className={headCell}>
              {t("table.otherFrameworks")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.quadrant")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {page.rows.map((row) => (
            <tr key={row.id} data-item-ref={row.ref} data-testid="ranked-row">
              {selectable ? <SelectCell row={row} selected={selected} onToggle={onToggle} /> : null}
              <td className={`${cell} font-semibold`} data-testid="rank">
                #{row.rank}
              </td>
              <ItemCell workspaceId={workspaceId} row={row} />
              <td className={cell}>{row.theme ?? ""}</td>
              <td className={`${cell} whitespace-nowrap font-mono`}>{row.score === null ? "" : format(row.score)}</td>
              <InputCells row={row} />
              <OtherRanks row={row} framework={framework} />
              <td className={`${cell} text-xs`}>{row.quadrant ? t(`quadrants.${row.quadrant}`) : ""}</td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
      <Pagination page={page} param="page" query={props.query} />
    </section>
  );
}

/** Render the items the chosen framework cannot score yet, with the inputs they miss. */
export function NeedsInputTable(props: TableProps) {
  const { workspaceId, framework, page, selected, onToggle, selectable } = props;
  const t = useTranslations("backlog");
  const tCommon = useTranslations("common");
  return (
    <section aria-labelledby="needs-input-heading" className="flex flex-col gap-2">
      <h2 id="needs-input-heading" className="text-lg font-semibold text-slate-900">
        {t("table.needsInputTitle", { count: page.total })}
      </h2>
      <p className="text-sm text-slate-600">
        {t("table.needsInputHint", { framework: t(`frameworkNames.${framework}`) })}
      </p>
      <TableFrame caption={t("table.needsInputCaption")}>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            {selectable ? <SelectAllCell page={page} selected={selected} onToggle={onToggle} /> : null}
            <th scope="col" className={headCell}>
              {t("table.item")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.theme")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.status")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.missing")}
            </th>
            <th scope="col" className={headCell}>
              {t("table.pendingProposals")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {page.rows.map((row) => (
            <tr key={row.id} data-item-ref={row.ref} data-testid="needs-input-row">
              {selectable ? <SelectCell row={row} selected={selected} onToggle={onToggle} /> : null}
              <ItemCell workspaceId={workspaceId} row={row} />
              <td className={cell}>{row.theme ?? ""}</td>
              <td className={cell}>{t(`statuses.${row.status}`)}</td>
              <td className={cell}>
                <span className="sr-only">{tCommon("labelColon", { label: t("table.needsInput") })} </span>
                <ul className="flex flex-wrap gap-1">
                  {row.missing.map((name) => (
                    <li
                      key={name}
                      className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-900 ring-1 ring-amber-200"
                    >
                      {t(`inputs.${name}`)}
                    </li>
                  ))}
                </ul>
              </td>
              <td className={cell}>{row.pendingProposals > 0 ? row.pendingProposals : ""}</td>
            </tr>
          ))}
        </tbody>
      </TableFrame>
      <Pagination page={page} param="needsPage" query={props.query} />
    </section>
  );
}
