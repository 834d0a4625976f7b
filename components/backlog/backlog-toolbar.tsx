"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState, useTransition } from "react";
import { setFrameworkAction } from "@/app/(app)/w/[workspaceId]/backlog/actions";
import { inputSources, itemStatuses } from "@/db/schema";
import { type Framework, frameworks, inputsOfFramework } from "@/lib/prioritization/scales";
import { type BacklogQuery, buildBacklogSearch } from "./query";

const selectClasses =
  "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600";

/** Delay between the last keystroke in the search box and the page update, in milliseconds. */
const SEARCH_DELAY_MS = 300;

/**
 * Render the backlog's framework switch, search and filters. They live in the URL, so the server
 * renders the filtered page and the browser's back button undoes a filter.
 */
export function BacklogToolbar({
  workspaceId,
  query,
  framework,
  workspaceFramework,
  themes,
  canEdit,
}: {
  workspaceId: string;
  query: BacklogQuery;
  framework: Framework;
  workspaceFramework: Framework;
  themes: string[];
  canEdit: boolean;
}) {
  const t = useTranslations("backlog");
  const router = useRouter();
  const pathname = usePathname();
  const [search, setSearch] = useState(query.search ?? "");
  const [saving, startSaving] = useTransition();

  useEffect(() => {
    if (search === (query.search ?? "")) return;
    const timer = setTimeout(() => {
      router.replace(`${pathname}${buildBacklogSearch(query, { search: search.trim() || undefined })}`);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, query, pathname, router]);

  const setFilter = (key: "theme" | "status" | "source" | "missing", value: string) => {
    router.replace(`${pathname}${buildBacklogSearch(query, { [key]: value ? [value] : undefined })}`);
  };
  const hasFilters = Boolean(
    query.search || query.theme?.length || query.status?.length || query.source?.length || query.missing?.length,
  );

  return (
    <div className="mb-4 flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <nav aria-label={t("frameworkSwitch")} className="flex rounded-md border border-slate-300 bg-white p-0.5">
          {frameworks.map((option) => (
            <Link
              key={option}
              href={`${pathname}${buildBacklogSearch(query, { framework: option })}`}
              aria-current={option === framework ? "page" : undefined}
              className="rounded px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white"
            >
              {t(`frameworkNames.${option}`)}
            </Link>
          ))}
        </nav>
        {canEdit && framework !== workspaceFramework ? (
          <button
            type="button"
            disabled={saving}
            onClick={() => startSaving(async () => void (await setFrameworkAction(workspaceId, framework)))}
            className="text-sm font-medium text-indigo-700 underline-offset-2 hover:underline disabled:opacity-60"
          >
            {t("makeDefault", { framework: t(`frameworkNames.${framework}`) })}
          </button>
        ) : null}
        <p className="text-xs text-slate-600">{t(`frameworkFormulas.${framework}`)}</p>
      </div>

      <search className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          {t("searchLabel")}
          <input
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t("searchPlaceholder")}
            className={`${selectClasses} w-64`}
          />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          {t("filters.theme")}
          <select
            value={query.theme?.[0] ?? ""}
            onChange={(event) => setFilter("theme", event.target.value)}
            className={selectClasses}
          >
            <option value="">{t("filters.allThemes")}</option>
            {themes.map((theme) => (
              <option key={theme} value={theme}>
                {theme}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          {t("filters.status")}
          <select
            value={query.status?.[0] ?? ""}
            onChange={(event) => setFilter("status", event.target.value)}
            className={selectClasses}
          >
            <option value="">{t("filters.allStatuses")}</option>
            {itemStatuses.map((status) => (
              <option key={status} value={status}>
                {t(`statuses.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          {t("filters.source")}
          <select
            value={query.source?.[0] ?? ""}
            onChange={(event) => setFilter("source", event.target.value)}
            className={selectClasses}
          >
            <option value="">{t("filters.anySource")}</option>
            {inputSources.map((source) => (
              <option key={source} value={source}>
                {t(`sources.${source}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
          {t("filters.missing")}
          <select
            value={query.missing?.[0] ?? ""}
            onChange={(event) => setFilter("missing", event.target.value)}
            className={selectClasses}
          >
            <option value="">{t("filters.noMissingFilter")}</option>
            <option value="any">{t("filters.anyMissing")}</option>
            {inputsOfFramework(framework).map((name) => (
              <option key={name} value={name}>
                {t(`inputs.${name}`)}
              </option>
            ))}
          </select>
        </label>
        {hasFilters ? (
          <Link
            href={`${pathname}${buildBacklogSearch({ framework: query.framework })}`}
            className="py-1.5 text-sm font-medium text-indigo-700 hover:underline"
          >
            {t("filters.clear")}
          </Link>
        ) : null}
      </search>
    </div>
  );
}
