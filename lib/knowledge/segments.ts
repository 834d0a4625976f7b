import Papa from "papaparse";

/**
 * Splitting a document into the smallest pieces a chunk may not cut: sentences, headings, list
 * items, code blocks and CSV rows. Offsets are UTF-16 positions in the document, end exclusive,
 * with surrounding whitespace excluded.
 */

export type DocumentFormat = "markdown" | "text" | "csv";

export interface Segment {
  start: number;
  end: number;
  kind: "heading" | "sentence" | "block" | "row";
  /** The heading in effect at this segment (for a heading, the heading itself). */
  heading: string | null;
}

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });

interface Line {
  text: string;
  start: number;
}

function splitLines(content: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const match of content.matchAll(/\r?\n/g)) {
    lines.push({ text: content.slice(start, match.index), start });
    start = match.index + match[0].length;
  }
  lines.push({ text: content.slice(start), start });
  return lines;
}

/** The range without leading and trailing whitespace; undefined when it is all whitespace. */
function trimRange(content: string, start: number, end: number): { start: number; end: number } | undefined {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(content[from] as string)) from++;
  while (to > from && /\s/.test(content[to - 1] as string)) to--;
  return from < to ? { start: from, end: to } : undefined;
}

function sentencesOf(content: string, start: number, end: number, heading: string | null): Segment[] {
  const segments: Segment[] = [];
  for (const part of sentenceSegmenter.segment(content.slice(start, end))) {
    const range = trimRange(content, start + part.index, start + part.index + part.segment.length);
    if (range) segments.push({ ...range, kind: "sentence", heading });
  }
  return segments;
}

const headingPattern = /^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$/;
const fencePattern = /^ {0,3}(```|~~~)/;
const listItemPattern = /^\s{0,3}([-*+]|\d{1,9}[.)])\s+/;
const tableRowPattern = /^\s*\|/;

/**
 * Markdown: headings, fenced code blocks, list items and table rows are segments of their own;
 * paragraphs are split into sentences.
 */
export function segmentMarkdown(content: string): Segment[] {
  const segments: Segment[] = [];
  const lines = splitLines(content);
  let heading: string | null = null;
  let paragraph: { start: number; end: number } | undefined;

  const flushParagraph = () => {
    if (paragraph) segments.push(...sentencesOf(content, paragraph.start, paragraph.end, heading));
    paragraph = undefined;
  };
  const pushBlock = (start: number, end: number, kind: Segment["kind"]) => {
    const range = trimRange(content, start, end);
    if (range) segments.push({ ...range, kind, heading });
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as Line;
    const lineEnd = line.start + line.text.length;
    const headingMatch = line.text.match(headingPattern);
    const fence = line.text.match(fencePattern);

    if (!line.text.trim()) {
      flushParagraph();
    } else if (headingMatch) {
      flushParagraph();
      heading = (headingMatch[2] as string).trim();
      pushBlock(line.start, lineEnd, "heading");
    } else if (fence) {
      flushParagraph();
      let close = index + 1;
      while (close < lines.length && !(lines[close] as Line).text.trimStart().startsWith(fence[1] as string)) close++;
      const last = lines[Math.min(close, lines.length - 1)] as Line;
      pushBlock(line.start, last.start + last.text.length, "block");
      index = close;
    } else if (listItemPattern.test(line.text) || tableRowPattern.test(line.text)) {
      flushParagraph();
      pushBlock(line.start, lineEnd, "block");
    } else if (paragraph) {
      paragraph.end = lineEnd;
    } else {
      paragraph = { start: line.start, end: lineEnd };
    }
  }
  flushParagraph();
  return segments;
}

/** Plain text: paragraphs (separated by blank lines) split into sentences. */
export function segmentText(content: string): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  for (const match of content.matchAll(/\r?\n[ \t]*\r?\n/g)) {
    segments.push(...sentencesOf(content, start, match.index, null));
    start = match.index + match[0].length;
  }
  segments.push(...sentencesOf(content, start, content.length, null));
  return segments;
}

/**
 * CSV: each data row is a segment, quoted line breaks included; the header row is returned apart,
 * because every chunk of the file repeats it.
 */
export function segmentCsv(content: string): { header: string | null; segments: Segment[] } {
  const rows: Array<{ start: number; end: number }> = [];
  let previousCursor = 0;
  Papa.parse(content, {
    skipEmptyLines: false,
    step: (result) => {
      const cursor = result.meta.cursor;
      rows.push({ start: previousCursor, end: cursor });
      previousCursor = cursor;
    },
  });
  const ranges = rows.map((row) => trimRange(content, row.start, row.end)).filter((range) => range !== undefined);
  const [first, ...rest] = ranges;
  if (!first) return { header: null, segments: [] };
  return {
    header: content.slice(first.start, first.end),
    segments: rest.map((range) => ({ ...range, kind: "row" as const, heading: null })),
  };
}
