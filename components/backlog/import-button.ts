import type { CsvPreview } from "@/lib/backlog/csv-preview";

/** The import button of the CSV import screen: how many rows it would import, and whether it is enabled. */
export interface ImportButtonState {
  rowCount: number;
  enabled: boolean;
}

/**
 * Count the rows an import would write and decide whether the button is enabled. A file with row
 * errors imports only its valid rows, and only once the invalid ones are skipped explicitly. The
 * button is disabled when the title has no column or when no row would be imported.
 */
export function getImportButtonState(
  preview: Pick<CsvPreview, "rowCount" | "validRowCount" | "errorCount">,
  options: { titleMapped: boolean; skipInvalid: boolean },
): ImportButtonState {
  const hasErrors = preview.errorCount > 0;
  const rowCount = hasErrors ? preview.validRowCount : preview.rowCount;
  const enabled = options.titleMapped && (!hasErrors || options.skipInvalid) && rowCount > 0;
  return { rowCount, enabled };
}
