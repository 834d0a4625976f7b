import type { ServerError } from "@/lib/i18n/server-errors";

/** Catalog key, in the `knowledge` namespace, of the rule of each field whose value can be invalid. */
const fieldRuleKeys: Record<string, string> = {
  language: "languageInvalid",
  sourceUrl: "sourceUrlInvalid",
};

/**
 * Word an error of the documents API for the forms that add documents. An `invalid_input` error
 * states the expected form of each failing field that has a rule in the catalog, such as "a
 * language tag such as en or fr". Other fields and errors are left to `localize`. `t` translates
 * the `knowledge` namespace.
 */
export function describeDocumentError(
  error: ServerError,
  t: (key: string) => string,
  localize: (error: ServerError) => string,
): string {
  if (error.code !== "invalid_input" || !error.fields?.length) return localize(error);
  const paths = [...new Set(error.fields.map((field) => field.path))];
  const ruled = paths.filter((path) => Object.hasOwn(fieldRuleKeys, path));
  if (ruled.length === 0) return localize(error);

  const sentences = ruled.map((path) => t(fieldRuleKeys[path] as string));
  const others = error.fields.filter((field) => !ruled.includes(field.path));
  if (others.length > 0) sentences.push(localize({ ...error, fields: others }));
  return sentences.join(" ");
}
