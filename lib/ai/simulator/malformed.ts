/**
 * Ways models break JSON, so the pipeline's repair step meets each of them over real HTTP.
 * Each takes valid JSON text and returns a damaged variant of it.
 */
export const malformations = {
  malformed_fences: (json: string) => `\`\`\`json\n${json}\n\`\`\``,
  malformed_prose: (json: string) => `Here is the JSON you asked for:\n${json}\nLet me know if you need anything else.`,
  malformed_trailing_commas: (json: string) =>
    json.replace(/([}\]])(?=\s*[}\]])/g, "$1,").replace(/("[^"]*"|\d|true|false|null)(\s*)([}\]])/, "$1,$2$3"),
  malformed_comments: (json: string) => `// generated answer\n${json.replace(/^\{/, "{ /* start */")}`,
  malformed_single_quotes: (json: string) =>
    json.replace(/"((?:[^"\\]|\\.)*)"/g, (_, inner: string) => `'${inner.replace(/'/g, "\\'")}'`),
  malformed_raw_newlines: (json: string) => replaceInFirstLongString(json),
} as const;

export type Malformation = keyof typeof malformations;

export function isMalformation(name: string): name is Malformation {
  return name in malformations;
}

/** Put a raw line break inside the first string value with a space in it (JSON requires `\n`). */
function replaceInFirstLongString(json: string): string {
  let replaced = false;
  const result = json.replace(/:"((?:[^"\\]|\\.)*)"/g, (match, inner: string) => {
    if (replaced || !inner.includes(" ")) return match;
    replaced = true;
    return `:"${inner.replace(" ", "\n")}"`;
  });
  return replaced ? result : json.replace(/^\{/, '{"note":"line one\nline two",');
}
