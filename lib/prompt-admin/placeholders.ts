/**
 * Placeholders of a template as the editor highlights them. The scan follows Python's
 * `string.Template` like the prompt engine's parser, but keeps every character of the source
 * (`$$` included), so a highlight layer lines up with the text being typed.
 */

/** A piece of template text: literal text, or a placeholder with how it resolves. */
export interface TemplateToken {
  text: string;
  kind: "text" | "declared" | "undeclared" | "invalid";
}

// `$$` first, so an escaped dollar never starts a placeholder; a lone `$` is invalid, as in Python.
const PLACEHOLDER = /\$\$|\$(?:[_a-zA-Z][_a-zA-Z0-9]*|\{[_a-zA-Z][_a-zA-Z0-9]*\})|\$/g;

/** Split a template into text and placeholders, keeping every character (for the highlight layer). */
export function tokenizeTemplate(text: string, declared: ReadonlySet<string>): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const source = match[0];
    if (source === "$$") continue;
    if (match.index > last) tokens.push({ text: text.slice(last, match.index), kind: "text" });
    const name = source.replace(/^\$\{?|\}$/g, "");
    const kind = source === "$" ? "invalid" : declared.has(name) ? "declared" : "undeclared";
    tokens.push({ text: source, kind });
    last = match.index + source.length;
  }
  if (last < text.length) tokens.push({ text: text.slice(last), kind: "text" });
  return tokens;
}
