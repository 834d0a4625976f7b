import cl100kBase from "js-tiktoken/ranks/cl100k_base";

/**
 * Token counts in cl100k_base, the encoding of OpenAI's embedding models (text-embedding-3-*,
 * ada-002). Other providers' tokenizers differ by a few percent, which the chunk sizes absorb.
 *
 * The byte pair encoding runs here, on js-tiktoken's ranks and split pattern, because js-tiktoken
 * 1.0.21 merges each pre-tokenized piece in quadratic time or worse, so a long word without
 * spaces stalls the process. This version merges with a heap, in O(n log n) time in the piece
 * length, and returns the same tokens (the tests compare both). Text such as `<|endoftext|>`
 * counts as plain text, where js-tiktoken throws.
 */

/** Bytes of the longest cl100k_base token. */
const MAX_TOKEN_BYTES = 128;

/** Pieces must stay below this length in bytes, so that a heap key stays an exact integer. */
const MAX_PIECE_BYTES = 2 ** 28;

interface Vocabulary {
  /** Token ranks, keyed by the token's bytes as a Latin-1 string (one character per byte). */
  ranks: Map<string, number>;
  /** The pre-tokenizer: tokens never cross the boundaries of its matches. */
  pattern: RegExp;
}

let vocabulary: Vocabulary | undefined;

function getVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary;

  // Each line of `bpe_ranks` is "<ignored> <first rank> <base64 token> <base64 token> ...".
  const ranks = new Map<string, number>();
  for (const line of cl100kBase.bpe_ranks.split("\n")) {
    if (!line) continue;
    const [, firstRank, ...tokens] = line.split(" ");
    const offset = Number.parseInt(firstRank as string, 10);
    tokens.forEach((token, index) => {
      ranks.set(Buffer.from(token, "base64").toString("latin1"), offset + index);
    });
  }
  vocabulary = { ranks, pattern: new RegExp(cl100kBase.pat_str, "gu") };
  return vocabulary;
}

function toByteString(piece: string): string {
  return Buffer.from(piece, "utf8").toString("latin1");
}

/**
 * Merges the bytes of one piece as cl100k_base does: the adjacent pair with the lowest rank first,
 * the leftmost one among equal ranks. Returns each token's end, in bytes.
 */
function mergeBytePairs(bytes: string, ranks: Map<string, number>): number[] {
  const length = bytes.length;
  if (length >= MAX_PIECE_BYTES) throw new Error(`A piece of ${length} bytes is too long to tokenize.`);

  // The parts form a linked list. `partEnd[start]` is the end of the part that starts at `start`,
  // or -1 once that part was merged into the part on its left, and `partStart[end]` is the reverse.
  const partEnd = new Int32Array(length);
  const partStart = new Int32Array(length + 1);
  for (let index = 0; index < length; index++) {
    partEnd[index] = index + 1;
    partStart[index + 1] = index;
  }

  // A heap key packs (rank, start, width) into one integer below 2^53, ordered by rank and then
  // by start. A key whose pair has changed since it was pushed is stale and skipped when popped.
  const heap = new MinHeap();
  const pushPair = (start: number) => {
    const middle = partEnd[start] as number;
    if (middle >= length) return;
    const end = partEnd[middle] as number;
    if (end - start > MAX_TOKEN_BYTES) return;
    const rank = ranks.get(bytes.slice(start, end));
    if (rank !== undefined) heap.push((rank * MAX_PIECE_BYTES + start) * 256 + (end - start));
  };
  for (let start = 0; start < length - 1; start++) pushPair(start);

  while (heap.size > 0) {
    const key = heap.pop();
    const width = key % 256;
    const start = ((key - width) / 256) % MAX_PIECE_BYTES;
    const end = start + width;
    const middle = partEnd[start] as number;
    if (middle === -1 || middle >= length || partEnd[middle] !== end) continue;

    partEnd[start] = end;
    partEnd[middle] = -1;
    partStart[end] = start;
    if (start > 0) pushPair(partStart[start] as number);
    pushPair(start);
  }

  const ends: number[] = [];
  for (let start = 0; start < length; start = partEnd[start] as number) ends.push(partEnd[start] as number);
  return ends;
}

/** A binary min-heap of numbers. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    let index = items.length;
    items.push(value);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((items[parent] as number) <= value) break;
      items[index] = items[parent] as number;
      index = parent;
    }
    items[index] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0] as number;
    const last = items.pop() as number;
    if (items.length === 0) return top;

    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as number) < (items[left] as number) ? right : left;
      if ((items[child] as number) >= last) break;
      items[index] = items[child] as number;
      index = child;
    }
    items[index] = last;
    return top;
  }
}

export function countTokens(text: string): number {
  if (!text) return 0;
  const { ranks, pattern } = getVocabulary();
  let count = 0;
  for (const match of text.matchAll(pattern)) {
    const bytes = toByteString(match[0]);
    count += ranks.has(bytes) ? 1 : mergeBytePairs(bytes, ranks).length;
  }
  return count;
}

/**
 * Tokenizes `text.slice(from, to)` and returns where each token ends, as a UTF-16 offset in
 * `text`, or -1 for a token that ends inside a character (tokens split rare characters by bytes).
 */
function tokenEnds(text: string, from: number, to: number): number[] {
  const { ranks, pattern } = getVocabulary();
  const ends: number[] = [];
  for (const match of text.slice(from, to).matchAll(pattern)) {
    const piece = match[0];
    const pieceStart = from + match.index;
    const bytes = toByteString(piece);
    if (ranks.has(bytes)) {
      ends.push(pieceStart + piece.length);
      continue;
    }

    const byteEnds = mergeBytePairs(bytes, ranks);
    // Equal lengths mean the piece is ASCII, where a byte offset is a UTF-16 offset.
    const unitOffsets = bytes.length === piece.length ? undefined : codeUnitOffsets(piece, bytes.length);
    for (const byteEnd of byteEnds) {
      const unit = unitOffsets ? (unitOffsets[byteEnd] as number) : byteEnd;
      ends.push(unit === -1 ? -1 : pieceStart + unit);
    }
  }
  return ends;
}

/** Maps each UTF-8 byte offset of `piece` to its UTF-16 offset, or to -1 inside a character. */
function codeUnitOffsets(piece: string, byteLength: number): Int32Array {
  const offsets = new Int32Array(byteLength + 1).fill(-1);
  let byte = 0;
  let unit = 0;
  while (unit < piece.length) {
    offsets[byte] = unit;
    // A lone surrogate is encoded as U+FFFD, which takes 3 bytes like any other code below 0x10000.
    const code = piece.codePointAt(unit) as number;
    byte += utf8Length(code);
    unit += code < 0x10000 ? 1 : 2;
  }
  offsets[byte] = unit;
  return offsets;
}

function utf8Length(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3;
  return 4;
}

export interface TokenPiece {
  /** UTF-16 offsets in the text, end exclusive. */
  start: number;
  end: number;
  /** Tokens of `text.slice(start, end)` counted on its own. */
  tokens: number;
}

/**
 * Splits `text` into consecutive pieces of at most `maxTokens` tokens, cut at a space where one
 * exists in the window, so a sentence longer than a chunk is still split between words. The pieces
 * concatenate back to `text`, and a piece never ends inside a surrogate pair. Each piece takes
 * O(m log m) time in its own length m, so the whole split is near-linear in the text length.
 */
export function splitByTokens(text: string, maxTokens: number): TokenPiece[] {
  // One character takes at most 4 tokens, so a smaller limit could leave no place to cut.
  if (maxTokens < 4) throw new Error(`maxTokens must be at least 4, got ${maxTokens}.`);

  const pieces: TokenPiece[] = [];
  // English averages about 4 characters per token. Later windows use the previous piece's ratio.
  let charactersPerToken = 4;
  let start = 0;
  while (start < text.length) {
    const piece = nextTokenPiece(text, start, maxTokens, charactersPerToken);
    pieces.push(piece);
    charactersPerToken = (piece.end - piece.start) / Math.max(1, piece.tokens);
    start = piece.end;
  }
  return pieces;
}

function nextTokenPiece(text: string, start: number, maxTokens: number, charactersPerToken: number): TokenPiece {
  // Tokenize a window about 10% longer than the estimated length of `maxTokens` tokens. While it
  // contains no more than `maxTokens` tokens, grow it by the measured ratio, and at least double it,
  // so the windows tokenized for one piece add up to a few times the piece's length.
  const windowLength = (ratio: number) => Math.ceil(1.1 * (maxTokens + 1) * ratio);
  let windowEnd = Math.min(text.length, start + windowLength(charactersPerToken));
  let ends = tokenEnds(text, start, windowEnd);
  while (ends.length <= maxTokens && windowEnd < text.length) {
    const length = windowEnd - start;
    const measured = windowLength(length / Math.max(1, ends.length));
    windowEnd = Math.min(text.length, start + Math.max(2 * length, measured));
    ends = tokenEnds(text, start, windowEnd);
  }
  if (ends.length <= maxTokens) return { start, end: text.length, tokens: ends.length };

  // Cut after the last whole character within the first `maxTokens` tokens of the window. The
  // piece alone may tokenize differently where the cut splits a pre-tokenizer match, so recount it
  // and move the cut back by the excess until it fits.
  let lastToken = maxTokens - 1;
  for (;;) {
    const tokenEnd = characterBoundaryAtOrBefore(ends, lastToken);
    const space = lastSpaceBetween(text, start + 1, tokenEnd);
    const end = space === -1 ? tokenEnd : space + 1;
    const tokens = countTokens(text.slice(start, end));
    if (tokens <= maxTokens) return { start, end, tokens };
    lastToken = Math.max(0, lastToken - (tokens - maxTokens));
  }
}

/**
 * Returns the end of the last token up to `ends[index]` that ends between characters. When none
 * does, it returns the first such end after `index`, which ends the first character: a character
 * takes at most 4 tokens, so the piece still fits.
 */
function characterBoundaryAtOrBefore(ends: readonly number[], index: number): number {
  for (let candidate = index; candidate >= 0; candidate--) {
    if (ends[candidate] !== -1) return ends[candidate] as number;
  }
  const next = ends.findIndex((end) => end !== -1);
  return ends[next] as number;
}

/** Returns the index of the last space in `text.slice(from, to)`, or -1, without looking before `from`. */
function lastSpaceBetween(text: string, from: number, to: number): number {
  for (let index = to - 1; index >= from; index--) {
    if (text.charCodeAt(index) === 0x20) return index;
  }
  return -1;
}
