import { badRequest } from "@/lib/errors";
import { type InputName, inputNames } from "@/lib/prioritization/scales";

/**
 * Fields a CSV column can map to. `itemId` is the item's own id, the UUID that the export writes as
 * `rankwise_id`. `externalId` is the item's id in another tool.
 */
export const importFields = [
  "itemId",
  "externalId",
  "title",
  "description",
  "theme",
  "status",
  "links",
  ...inputNames,
] as const;
export type ImportField = (typeof importFields)[number];

/** Column index per field; a field without a column is not imported. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

/**
 * Header names recognised per field, in English and French, already normalised (see
 * normalizeHeader). Bare `impact` and `confidence` are the RICE inputs; ICE columns say ICE.
 */
const headerSynonyms: Record<ImportField, string[]> = {
  itemId: ["rankwise id", "identifiant rankwise", "item uuid", "uuid"],
  externalId: ["id", "external id", "key", "issue key", "ref", "reference", "identifiant", "identifiant externe"],
  title: ["title", "titre", "name", "nom", "summary", "item", "feature", "fonctionnalite", "intitule", "sujet"],
  description: ["description", "details", "body", "desc", "contenu", "descriptif"],
  theme: ["theme", "category", "categorie", "epic", "area", "domaine", "thematique"],
  status: ["status", "statut", "state", "etat"],
  links: ["links", "link", "url", "urls", "source url", "source", "lien", "liens", "url source"],
  reach: ["reach", "portee", "rice reach", "reach per quarter", "portee par trimestre", "audience"],
  impact: ["impact", "rice impact", "impact rice"],
  confidence: ["confidence", "rice confidence", "confiance", "confiance rice", "confidence rice"],
  effort: ["effort", "rice effort", "effort person months", "effort mois personne", "effort mois homme", "charge"],
  ice_impact: ["ice impact", "impact ice"],
  ice_confidence: ["ice confidence", "confidence ice", "ice confiance", "confiance ice"],
  ice_ease: ["ease", "ice ease", "ease ice", "facilite", "facilite ice", "ice facilite"],
  business_value: ["business value", "valeur metier", "user business value", "valeur business", "bv"],
  time_criticality: ["time criticality", "criticite temporelle", "urgence", "tc"],
  risk_reduction: [
    "risk reduction",
    "risk reduction opportunity enablement",
    "rr oe",
    "rroe",
    "reduction du risque",
    "reduction des risques",
    "reduction de risque",
  ],
  job_size: ["job size", "taille", "taille du travail", "taille du job", "js"],
};

/** Lower-case, strip accents and punctuation, collapse spaces: `Thème` and `theme ` both become `theme`. */
export function normalizeHeader(header: string): string {
  return header
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/**
 * Guess each field's column from the header names; the first matching column wins. A sheet with
 * an ease column and no reach or effort column is an ICE sheet, so its bare impact and confidence
 * columns map to the ICE inputs.
 */
export function guessColumnMapping(headers: readonly string[]): ColumnMapping {
  const normalized = headers.map(normalizeHeader);
  const mapping: ColumnMapping = {};
  for (const field of importFields) {
    const index = normalized.findIndex((header) => headerSynonyms[field].includes(header));
    if (index >= 0) mapping[field] = index;
  }

  const isIceSheet = mapping.ice_ease !== undefined && mapping.reach === undefined && mapping.effort === undefined;
  if (isIceSheet) {
    if (mapping.ice_impact === undefined && mapping.impact !== undefined) mapping.ice_impact = mapping.impact;
    if (mapping.ice_confidence === undefined && mapping.confidence !== undefined) {
      mapping.ice_confidence = mapping.confidence;
    }
    delete mapping.impact;
    delete mapping.confidence;
  }
  return mapping;
}

/**
 * Reject a mapping that uses a column whose header another column repeats, because a mapping by
 * header names cannot tell which of the two the file means, and the other column's values would be
 * dropped. `headerKey` gives the form in which two headers count as the same, such as
 * `normalizeHeader` for a guessed mapping. A mapping chosen by column index needs no such check.
 */
export function assertMappedHeadersUnique(
  headers: readonly string[],
  mapping: ColumnMapping,
  headerKey: (header: string) => string,
): void {
  const keys = headers.map(headerKey);
  for (const column of new Set(Object.values(mapping))) {
    const key = keys[column];
    if (!key) continue;
    const other = keys.findIndex((candidate, index) => index !== column && candidate === key);
    if (other < 0) continue;

    const header = headers[column] ?? "";
    const [first, second] = [Math.min(column, other) + 1, Math.max(column, other) + 1];
    throw badRequest(
      `Columns ${first} and ${second} are both headed "${header}", so the import cannot tell which one to use. Rename one of them and upload the file again.`,
      { field: "file", reason: "csv_header_repeated", params: { header, first, second } },
    );
  }
}

/** Guess the mapping from the headers, and reject a header that a mapped column shares with another. */
export function guessColumnMappingOrThrow(headers: readonly string[]): ColumnMapping {
  const mapping = guessColumnMapping(headers);
  assertMappedHeadersUnique(headers, mapping, normalizeHeader);
  return mapping;
}

export function isInputField(field: ImportField): field is InputName {
  return (inputNames as readonly string[]).includes(field);
}
