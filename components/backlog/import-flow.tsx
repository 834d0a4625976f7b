"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { type ChangeEvent, useCallback, useState, useTransition } from "react";
import { importCsvAction, previewImportAction } from "@/app/(app)/w/[workspaceId]/backlog/actions";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import type { ColumnMapping, ImportField } from "@/lib/backlog/csv-mapping";
import { importFields } from "@/lib/backlog/csv-mapping";
import type { CsvPreview } from "@/lib/backlog/csv-preview";
import type { ImportResult } from "@/lib/backlog/import";
import { type LocalizableRowProblem, localizeRowProblem } from "@/lib/i18n/row-problems";
import { getImportButtonState } from "./import-button";

/**
 * Largest file this screen sends, in bytes: Next.js caps server action bodies at 1 MB by default.
 * Bigger files go through `POST /api/v1/workspaces/{id}/items/import`.
 */
const MAX_FORM_FILE_BYTES = 1_000_000;

/** A row error as the preview lists it, or as an import rejected with `invalid_rows` sends it. */
export interface ListedRowError extends LocalizableRowProblem {
  row: number;
  column: string;
  /** Null or absent for a problem of the whole row, such as cells past the last header. */
  field?: string | null;
  value: string;
}

/** The row errors of an import, rejected or with invalid rows skipped, and how many there are in all. */
interface ImportRowErrors {
  errors: ListedRowError[];
  errorCount: number;
}

const selectClasses =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600";

/**
 * Render the CSV import: upload, a preview of the first rows, and the column mapping guessed from
 * the headers (editable). Every row error is listed with its row and column. The import writes
 * all rows, or only the valid ones when the PM explicitly chooses to skip the invalid rows.
 */
export function ImportFlow({ workspaceId }: { workspaceId: string }) {
  const t = useTranslations("backlog.import");
  const tFields = useTranslations("backlog.importFields");
  const localizeError = useLocalizeServerError();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [importRowErrors, setImportRowErrors] = useState<ImportRowErrors | null>(null);
  const [pending, startTransition] = useTransition();

  const form = (chosen: File, withMapping: ColumnMapping | null, extra: Record<string, string> = {}) => {
    const data = new FormData();
    data.set("file", chosen);
    if (withMapping) data.set("mapping", JSON.stringify(withMapping));
    for (const [key, value] of Object.entries(extra)) data.set(key, value);
    return data;
  };

  const check = (chosen: File, withMapping: ColumnMapping | null) =>
    startTransition(async () => {
      const response = await previewImportAction(workspaceId, form(chosen, withMapping));
      if (!response.ok) {
        setPreview(null);
        setError(localizeError(response.error));
        return;
      }
      setError(null);
      setPreview(response.data);
      setMapping(response.data.mapping);
      setSkipInvalid(false);
    });

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    setResult(null);
    setPreview(null);
    setImportRowErrors(null);
    setFile(chosen);
    if (!chosen) return;
    if (chosen.size > MAX_FORM_FILE_BYTES) {
      setError(t("tooLarge", { megabytes: MAX_FORM_FILE_BYTES / 1_000_000 }));
      return;
    }
    check(chosen, null);
  };

  const remap = (field: ImportField, column: string) => {
    if (!file || !mapping) return;
    const next: ColumnMapping = { ...mapping };
    if (column === "") delete next[field];
    else next[field] = Number(column);
    setMapping(next);
    check(file, next);
  };

  const runImport = () => {
    if (!file) return;
    startTransition(async () => {
      const response = await importCsvAction(workspaceId, form(file, mapping, { skipInvalid: String(skipInvalid) }));
      if (!response.ok) {
        setError(localizeError(response.error));
        setImportRowErrors(response.error.code === "invalid_rows" ? readRejectedRows(response.error.details) : null);
        return;
      }
      const { errors, errorCount } = response.data;
      setError(null);
      setImportRowErrors(errorCount > 0 ? { errors, errorCount } : null);
      setResult(response.data);
      setPreview(null);
    });
  };

  const hasErrors = (preview?.errorCount ?? 0) > 0;
  const importButton = preview
    ? getImportButtonState(preview, { titleMapped: mapping?.title !== undefined, skipInvalid })
    : { rowCount: 0, enabled: false };

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="upload-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="upload-heading" className="text-base font-semibold text-slate-900">
          {t("uploadTitle")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t("uploadHint")}</p>
        <label className="mt-3 flex flex-col gap-1 text-sm font-medium text-slate-800">
          {t("fileLabel")}
          <input
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={choose}
            aria-describedby="import-file-limit"
            className="text-sm"
          />
        </label>
        <p id="import-file-limit" className="mt-1 text-xs text-slate-600">
          {t("fileLimit", { megabytes: MAX_FORM_FILE_BYTES / 1_000_000 })}
        </p>
        {pending ? <p className="mt-2 text-sm text-slate-600">{t("checking")}</p> : null}
      </section>

      {error ? (
        <div className="[overflow-wrap:anywhere]">
          <Alert tone="error">{error}</Alert>
        </div>
      ) : null}
      {importRowErrors ? (
        <section aria-label={t("errorsCaption")} className="rounded-lg border border-red-200 bg-white p-4">
          <RowErrorTable errors={importRowErrors.errors} errorCount={importRowErrors.errorCount} />
        </section>
      ) : null}

      {result ? (
        <Alert tone="success">
          <span data-testid="import-result">
            {t("done", {
              created: result.created,
              updated: result.updated,
              unchanged: result.unchanged,
              skipped: result.skippedInvalid,
            })}
          </span>{" "}
          <Link href={`/w/${workspaceId}/backlog`} className="font-semibold underline">
            {t("openBacklog")}
          </Link>
        </Alert>
      ) : null}

      {preview && mapping ? (
        <>
          <PreviewTable preview={preview} />
          <section aria-labelledby="mapping-heading" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="mapping-heading" className="text-base font-semibold text-slate-900">
              {t("mappingTitle")}
            </h2>
            <p className="mt-1 text-sm text-slate-600">{t("mappingHint")}</p>
            <div className="mt-3 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
              {importFields.map((field) => (
                <label key={field} className="flex items-center justify-between gap-2 text-sm">
                  <span className={field === "title" ? "font-semibold" : ""}>{tFields(field)}</span>
                  <select
                    value={mapping[field] === undefined ? "" : String(mapping[field])}
                    onChange={(event) => remap(field, event.target.value)}
                    className={selectClasses}
                    disabled={pending}
                  >
                    <option value="">{t("notImported")}</option>
                    {columnsOf(preview).map((column) => (
                      <option key={column.key} value={column.index}>
                        {column.header || t("blankHeader", { column: column.index + 1 })}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
            {preview.unmappedHeaders.length > 0 ? (
              <p className="mt-2 text-xs text-slate-600 [overflow-wrap:anywhere]">
                {t("unmapped", { headers: preview.unmappedHeaders.join(", ") })}
              </p>
            ) : null}
          </section>

          <RowErrors preview={preview} />

          <section className="flex flex-wrap items-center gap-4">
            {hasErrors ? (
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={skipInvalid}
                  onChange={(event) => setSkipInvalid(event.target.checked)}
                />
                {t("skipInvalid", { count: preview.invalidRowCount })}
              </label>
            ) : null}
            <Button onClick={runImport} disabled={!importButton.enabled || pending}>
              {t("importRows", { count: importButton.rowCount })}
            </Button>
            {mapping.title === undefined ? <p className="text-sm text-red-700">{t("titleUnmapped")}</p> : null}
            <Link href={`/w/${workspaceId}/backlog`} className={buttonClasses("ghost")}>
              {t("cancel")}
            </Link>
          </section>
        </>
      ) : null}
    </div>
  );
}

/** List the file's columns, each known by its position, because headers may repeat or be blank. */
function columnsOf(preview: CsvPreview) {
  return preview.headers.map((header, index) => ({ key: `column-${index}`, header, index }));
}

function PreviewTable({ preview }: { preview: CsvPreview }) {
  const t = useTranslations("backlog.import");
  return (
    <section aria-labelledby="preview-heading" className="flex flex-col gap-2">
      <h2 id="preview-heading" className="text-base font-semibold text-slate-900">
        {t("previewTitle", { count: preview.rowCount })}
      </h2>
      <p className="text-sm text-slate-600" data-testid="import-summary">
        {t("summary", {
          rows: preview.rowCount,
          valid: preview.validRowCount,
          invalid: preview.invalidRowCount,
          delimiter: preview.delimiter === "\t" ? t("tabDelimiter") : preview.delimiter,
        })}
      </p>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-xs">
          <caption className="sr-only">{t("previewCaption")}</caption>
          <thead className="bg-slate-50 text-slate-600">
            <tr>
              {columnsOf(preview).map((column) => (
                <th key={column.key} scope="col" className="px-2 py-1 text-left font-semibold">
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {preview.sampleRows.map((row, rowIndex) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: sample rows have no id and never reorder.
              <tr key={rowIndex}>
                {columnsOf(preview).map((column) => (
                  <td key={column.key} className="max-w-64 truncate px-2 py-1" title={row[column.index]}>
                    {row[column.index] ?? ""}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * Return a function that words a row problem in the UI language, naming inputs by their labels.
 * An unknown code keeps the server's English message.
 */
function useLocalizeRowProblem(): (problem: LocalizableRowProblem) => string {
  const t = useTranslations("serverErrors");
  const tFields = useTranslations("backlog.importFields");
  const locale = useLocale();
  return useCallback(
    (problem: LocalizableRowProblem) =>
      localizeRowProblem(problem, {
        t,
        locale,
        labelInput: (input) => (tFields.has(input) ? tFields(input) : input),
      }),
    [t, tFields, locale],
  );
}

/** Read the row errors that an `invalid_rows` error sends in its details, leaving out entries of another shape. */
function readRejectedRows(details: Record<string, unknown> | undefined): ImportRowErrors | null {
  const listed = Array.isArray(details?.errors) ? details.errors : [];
  const errors = listed.flatMap((entry): ListedRowError[] => {
    if (entry === null || typeof entry !== "object") return [];
    const { row, column, field, value, message, code, params } = entry as Record<string, unknown>;
    if (typeof row !== "number" || typeof column !== "string" || typeof message !== "string") return [];
    return [
      {
        row,
        column,
        field: typeof field === "string" ? field : undefined,
        value: typeof value === "string" ? value : "",
        message,
        code: typeof code === "string" ? code : undefined,
        params: params !== null && typeof params === "object" ? (params as Record<string, unknown>) : undefined,
      },
    ];
  });
  if (errors.length === 0) return null;
  const errorCount = typeof details?.errorCount === "number" ? details.errorCount : errors.length;
  return { errors, errorCount };
}

function RowErrors({ preview }: { preview: CsvPreview }) {
  const t = useTranslations("backlog.import");
  if (preview.errorCount === 0) return <Alert tone="success">{t("noErrors")}</Alert>;
  return (
    <section aria-labelledby="errors-heading" className="rounded-lg border border-red-200 bg-white p-4">
      <h2 id="errors-heading" className="text-base font-semibold text-red-900">
        {t("errorsTitle", { count: preview.errorCount, rows: preview.invalidRowCount })}
      </h2>
      <p className="mt-1 mb-2 text-sm text-slate-600">{t("errorsHint")}</p>
      <RowErrorTable errors={preview.errors} errorCount={preview.errorCount} />
    </section>
  );
}

/** List row errors with their row, column, cell value and problem in the UI language. */
export function RowErrorTable({ errors, errorCount }: { errors: ListedRowError[]; errorCount: number }) {
  const t = useTranslations("backlog.import");
  const localizeProblem = useLocalizeRowProblem();
  // Problems quote cell values, which can be one long word: they wrap anywhere, and the table
  // scrolls inside its box, so the page never grows wider than the viewport.
  return (
    <>
      <div className="max-w-full overflow-x-auto" data-testid="row-errors">
        <table className="w-full text-sm">
          <caption className="sr-only">{t("errorsCaption")}</caption>
          <thead className="text-left text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3">
                {t("row")}
              </th>
              <th scope="col" className="py-1 pr-3">
                {t("column")}
              </th>
              <th scope="col" className="py-1 pr-3">
                {t("value")}
              </th>
              <th scope="col" className="py-1">
                {t("problem")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {errors.map((rowError) => (
              <tr key={`${rowError.row}-${rowError.column}-${rowError.message}`}>
                <td className="py-1 pr-3 font-mono">{rowError.row}</td>
                <td className="py-1 pr-3 [overflow-wrap:anywhere]">{rowError.column}</td>
                <td className="max-w-48 truncate py-1 pr-3 font-mono" title={rowError.value}>
                  {rowError.value}
                </td>
                <td className="py-1 [overflow-wrap:anywhere]">{localizeProblem(rowError)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {errorCount > errors.length ? (
        <p className="mt-2 text-xs text-slate-600">{t("moreErrors", { shown: errors.length, count: errorCount })}</p>
      ) : null}
    </>
  );
}
