/** A publication or rollback of a prompt version, as the history lists it under that version. */
export interface PublicationEntry {
  action: string;
  note: string;
  at: string | Date;
  actorName: string | null;
}

/**
 * Build the history line of a publication of version `versionNumber`. A rollback publishes an
 * older version again, so its line names that version. `t` translates the `promptAdmin.history`
 * namespace.
 */
export function formatPublicationLine(
  publication: PublicationEntry,
  versionNumber: number,
  t: (key: "rolledBackBy" | "publishedBy", values: Record<string, string | number>) => string,
  formatTime: (at: string | Date) => string,
): string {
  const values = { name: publication.actorName ?? "—", time: formatTime(publication.at), note: publication.note };
  if (publication.action === "rollback") return t("rolledBackBy", { ...values, version: versionNumber });
  return t("publishedBy", values);
}
