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

/**
 * Characters given to the sentence segmenter at a time. Each step of V8's `Intl.Segmenter` takes
 * time linear in the input (measured on Node 20.20), so one pass over a paragraph is quadratic.
 */
const SEGMENTER_WINDOW = 1024;

/**
 * Appends the sentences of `content.slice(range.start, range.end)` to `segments`, segmenting one
 * window at a time. The last sentence of a window may go on past it, so the next window starts
 * there. A sentence longer than a window is read across windows.
 * NOTE: after a window that had no sentence boundary, the segmenter sees no text before the next
 * window, so a boundary that depends on that text (just after the seam) can differ from one pass.
 */
function pushSentences(
  segments: Segment[],
  content: string,
  range: { start: number; end: number },
  heading: string | null,
): void {
  const pushSentence = (start: number, end: number) => {
    const sentence = trimRange(content, start, end);
    if (sentence) segments.push({ ...sentence, kind: "sentence", heading });
  };

  let sentenceStart = range.start;
  let windowStart = range.start;
  for (;;) {
    const windowEnd = Math.min(range.end, windowStart + SEGMENTER_WINDOW);
    const starts = Array.from(
      sentenceSegmenter.segment(content.slice(windowStart, windowEnd)),
      (part) => windowStart + part.index,
    );
    for (let index = 1; index < starts.length; index++) {
      pushSentence(sentenceStart, starts[index] as number);
      sentenceStart = starts[index] as number;
    }
    if (windowEnd === range.end) {
      pushSentence(sentenceStart, range.end);
      return;
    }
    // The window's last sentence may go on past it, so the next window starts at that sentence.
    windowStart = starts.length > 1 ? sentenceStart : windowEnd;
  }
}

const headingOpenerPattern = /^ {0,3}#{1,6}(?=\s)/;
const whitespacePattern = /\s/;
const lineTerminatorPattern = /[\n\r\u2028\u2029]/;

function isWhitespace(character: string): boolean {
  return whitespacePattern.test(character);
}

/**
 * Returns the text of an ATX heading line (`## Title ##` gives "Title"), or undefined for another
 * line. It reads what `/^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$/` captures, trimmed, in linear time,
 * because that pattern backtracks in cubic time on a heading with a long run of spaces inside.
 */
export function readHeading(line: string): string | undefined {
  const opener = headingOpenerPattern.exec(line);
  if (!opener) return undefined;
  const rest = line.slice(opener[0].length);
  let textStart = 0;
  while (textStart < rest.length && isWhitespace(rest[textStart] as string)) textStart++;

  // Only whitespace follows the hashes. The pattern matches when one space goes to `\s+` and a
  // later character that is not a line terminator goes to `(.+?)`, whose text trims to "".
  if (textStart === rest.length) {
    for (let index = 1; index < rest.length; index++) {
      if (!lineTerminatorPattern.test(rest[index] as string)) return "";
    }
    return undefined;
  }

  // The capture ends before the longest suffix of spaces, closing hashes and spaces, but takes
  // at least one character. It may not contain a line terminator, because `.` does not match one.
  let end = rest.length;
  while (end > textStart && isWhitespace(rest[end - 1] as string)) end--;
  while (end > textStart && rest[end - 1] === "#") end--;
  while (end > textStart && isWhitespace(rest[end - 1] as string)) end--;
  const text = rest.slice(textStart, Math.max(end, textStart + 1));
  if (lineTerminatorPattern.test(text)) return undefined;
  return text.trim();
}
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
    if (paragraph) pushSentences(segments, content, paragraph, heading);
    paragraph = undefined;
  };
  const pushBlock = (start: number, end: number, kind: Segment["kind"]) => {
    const range = trimRange(content, start, end);
    if (range) segments.push({ ...range, kind, heading });
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as Line;
    const lineEnd = line.start + line.text.length;
    const headingText = readHeading(line.text);
    const fence = line.text.match(fencePattern);

    if (!line.text.trim()) {
      flushParagraph();
    } else if (headingText !== undefined) {
      flushParagraph();
      heading = headingText;
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
    pushSentences(segments, content, { start, end: match.index }, null);
    start = match.index + match[0].length;
  }
  pushSentences(segments, content, { start, end: content.length }, null);
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
