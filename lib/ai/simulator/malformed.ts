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
  malformed_hash_comments: (json: string) => insertHashComments(json),
  malformed_unescaped_quote: (json: string) => insertUnescapedQuote(json),
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

/**
 * Put a `#` comment line before each element of every array, after `[` and after each `,` between
 * elements. Strings are copied unchanged.
 */
function insertHashComments(json: string): string {
  let out = "";
  let inString = false;
  const containers: string[] = [];
  for (let index = 0; index < json.length; index++) {
    const char = json[index] as string;
    out += char;
    if (inString) {
      if (char === "\\") out += json[++index] ?? "";
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === "{" || char === "[") containers.push(char);
    else if (char === "}" || char === "]") containers.pop();

    const inArray = containers.at(-1) === "[";
    const elementFollows = json[index + 1] !== undefined && json[index + 1] !== "]";
    if (inArray && elementFollows && (char === "[" || char === ",")) {
      out += char === "[" ? "\n# first element\n" : "\n# next element\n";
    }
  }
  return out;
}

/**
 * Prefix the first string value with a space in it by a quoted word and a comma, without escaping
 * the quotes: `"Customers call it "urgent", <original text>"`. A repair tool may read the `",` as
 * the end of the string and invent keys from the rest, so the pipeline has to reject or correct it.
 */
function insertUnescapedQuote(json: string): string {
  let replaced = false;
  const result = json.replace(/:"((?:[^"\\]|\\.)*)"/g, (match, inner: string) => {
    if (replaced || !inner.includes(" ")) return match;
    replaced = true;
    return `:"Customers call it "urgent", ${inner}"`;
  });
  return replaced ? result : json.replace(/^\{/, '{"note":"Customers call it "urgent", so it matters",');
}
