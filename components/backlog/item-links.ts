import { ITEM_LIMITS, isHttpLink } from "@/lib/backlog/schemas";
import { truncateText } from "@/lib/text";

/** A line of the links text that is not a valid link, numbered from 1 as the text area shows it. */
export interface LinkLineProblem {
  line: number;
  link: string;
  reason: "not_http" | "too_long";
}

export interface ParsedLinks {
  /** The links in order, trimmed, without blank lines. */
  links: string[];
  /** Line number of each entry of `links`, so a server error on `links[i]` can name its line. */
  lines: number[];
  problems: LinkLineProblem[];
  /** True when there are more links than an item takes (`ITEM_LIMITS.links`). */
  tooMany: boolean;
}

/**
 * Read the item form's links text: one link per line, blank lines skipped. A link may contain
 * no spaces, so a line with spaces is reported whole instead of split into several links.
 */
export function parseLinksText(text: string): ParsedLinks {
  const links: string[] = [];
  const lines: number[] = [];
  const problems: LinkLineProblem[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const link = raw.trim();
    if (!link) return;
    const line = index + 1;
    links.push(link);
    lines.push(line);
    if (link.length > ITEM_LIMITS.link) problems.push({ line, link, reason: "too_long" });
    else if (!isHttpLink(link)) problems.push({ line, link, reason: "not_http" });
  });
  return { links, lines, problems, tooMany: links.length > ITEM_LIMITS.links };
}

/** Read the index of a `links[3]` error path, or undefined for any other path. */
export function readLinkIndex(path: string): number | undefined {
  const match = /^links\[(\d+)\]$/.exec(path);
  return match ? Number(match[1]) : undefined;
}

/** Maximum characters of a rejected line quoted in its message. */
const QUOTED_LINK_CHARS = 100;

/**
 * Word the problems of parsed links, one sentence per line in error, in the form's language. `t`
 * translates the `backlog.form` namespace. Returns an empty list when every link is valid.
 */
export function describeLinkProblems(
  parsed: ParsedLinks,
  t: (key: string, values?: Record<string, string | number>) => string,
): string[] {
  const messages = parsed.problems.map((problem) =>
    problem.reason === "too_long"
      ? t("linkTooLong", { line: problem.line, max: ITEM_LIMITS.link })
      : t("linkNotHttp", { line: problem.line, link: truncateText(problem.link, QUOTED_LINK_CHARS) }),
  );
  if (parsed.tooMany) messages.push(t("tooManyLinks", { max: ITEM_LIMITS.links }));
  return messages;
}
