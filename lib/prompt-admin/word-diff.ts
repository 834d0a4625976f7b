/**
 * Word-level diff of two prompt texts, for the version history. Texts are split into words
 * (letters, digits, `_` and `$`, so `$framework` stays one word), runs of whitespace, and single
 * punctuation characters. The shortest edit script between the two token lists comes from Myers'
 * O((N+M)D) algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986).
 */

export type DiffOperation = "equal" | "insert" | "delete";

export interface DiffSegment {
  op: DiffOperation;
  text: string;
}

/** Above this many edits the middle of the texts is shown as one deletion and one insertion. */
const MAX_EDITS = 2000;

const TOKEN = /\s+|[\p{L}\p{N}\p{M}_$]+|[^\s\p{L}\p{N}\p{M}_$]/gu;

export function tokenizeWords(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Diff two texts word by word; concatenating the equal and delete segments gives `before`, equal and insert `after`. */
export function diffWords(before: string, after: string): DiffSegment[] {
  const a = tokenizeWords(before);
  const b = tokenizeWords(after);

  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }

  const middleA = a.slice(prefix, a.length - suffix);
  const middleB = b.slice(prefix, b.length - suffix);
  const middle = diffTokens(middleA, middleB) ?? [
    ...middleA.map((text) => ({ op: "delete" as const, text })),
    ...middleB.map((text) => ({ op: "insert" as const, text })),
  ];

  const tokens: DiffSegment[] = [
    ...a.slice(0, prefix).map((text) => ({ op: "equal" as const, text })),
    ...middle,
    ...a.slice(a.length - suffix).map((text) => ({ op: "equal" as const, text })),
  ];
  return mergeSegments(absorbLoneSpaces(tokens));
}

/** Myers' greedy forward search; null when more than MAX_EDITS edits are needed. */
function diffTokens(a: string[], b: string[]): DiffSegment[] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((text) => ({ op: "insert", text }));
  if (m === 0) return a.map((text) => ({ op: "delete", text }));

  // trace[d][k + d] is the furthest x reached on diagonal k (x - y) after d edits.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= Math.min(n + m, MAX_EDITS); d++) {
    const previous = trace[d - 1];
    const current = new Int32Array(2 * d + 1);
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (d === 0 || !previous) x = 0;
      else if (movesDown(previous, d, k)) x = previous[k + 1 + d - 1] ?? 0;
      else x = (previous[k - 1 + d - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      current[k + d] = x;
      if (x >= n && y >= m) {
        trace.push(current);
        return backtrack(trace, a, b);
      }
    }
    trace.push(current);
  }
  return null;
}

/** Tell whether the best path to diagonal k at step d comes from diagonal k + 1 (an insertion). */
function movesDown(previous: Int32Array, d: number, k: number): boolean {
  if (k === -d) return true;
  if (k === d) return false;
  return (previous[k - 1 + d - 1] ?? 0) < (previous[k + 1 + d - 1] ?? 0);
}

function backtrack(trace: Int32Array[], a: string[], b: string[]): DiffSegment[] {
  const reversed: DiffSegment[] = [];
  let x = a.length;
  let y = b.length;

  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d - 1] as Int32Array;
    const k = x - y;
    const down = movesDown(previous, d, k);
    const previousK = down ? k + 1 : k - 1;
    const previousX = previous[previousK + d - 1] ?? 0;
    const previousY = previousX - previousK;
    const snakeStartX = down ? previousX : previousX + 1;

    while (x > snakeStartX) {
      x--;
      y--;
      reversed.push({ op: "equal", text: a[x] ?? "" });
    }
    if (down) reversed.push({ op: "insert", text: b[previousY] ?? "" });
    else reversed.push({ op: "delete", text: a[previousX] ?? "" });
    x = previousX;
    y = previousY;
  }
  while (x > 0) {
    x--;
    reversed.push({ op: "equal", text: a[x] ?? "" });
  }
  return reversed.reverse();
}

/**
 * Fold a lone whitespace token between two changes into both sides, so "the red car" to "a blue
 * car" reads as one replacement of "the red" rather than two replacements split by a space.
 */
function absorbLoneSpaces(tokens: DiffSegment[]): DiffSegment[] {
  const result: DiffSegment[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as DiffSegment;
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    const isLoneSpace = token.op === "equal" && /^\s+$/.test(token.text);
    if (isLoneSpace && before && after && before.op !== "equal" && after.op !== "equal") {
      result.push({ op: "delete", text: token.text }, { op: "insert", text: token.text });
      continue;
    }
    result.push(token);
  }
  return result;
}

/** Join runs of one operation and put each run of deletions before the insertions next to it. */
function mergeSegments(tokens: DiffSegment[]): DiffSegment[] {
  const merged: DiffSegment[] = [];
  let deleted = "";
  let inserted = "";
  const flushChanges = () => {
    if (deleted) merged.push({ op: "delete", text: deleted });
    if (inserted) merged.push({ op: "insert", text: inserted });
    deleted = "";
    inserted = "";
  };

  for (const token of tokens) {
    if (token.op === "delete") deleted += token.text;
    else if (token.op === "insert") inserted += token.text;
    else {
      flushChanges();
      const last = merged.at(-1);
      if (last?.op === "equal") last.text += token.text;
      else merged.push({ op: "equal", text: token.text });
    }
  }
  flushChanges();
  return merged;
}

/** Count the words added and removed, for a one-line summary of a diff. */
export function summarizeDiff(segments: readonly DiffSegment[]): { added: number; removed: number } {
  const countWords = (text: string) => (text.match(/[\p{L}\p{N}_$]+/gu) ?? []).length;
  let added = 0;
  let removed = 0;
  for (const segment of segments) {
    if (segment.op === "insert") added += countWords(segment.text);
    if (segment.op === "delete") removed += countWords(segment.text);
  }
  return { added, removed };
}
