/**
 * A deterministic duplicate check for suggested backlog items, behind the generator prompt's own
 * instruction not to repeat existing items: the model may ignore it, and an item added since the
 * run makes its suggestion a duplicate too.
 */

/** Words that carry no meaning in a backlog title, in English and French. */
const stopWords = new Set(
  (
    "a an and as at be by for from in into is it its of on or the to with without via per all any each " +
    "about over when that this their them they can " +
    "le la les un une des du de d l et ou en au aux pour par sur dans avec sans"
  ).split(" "),
);

/**
 * Jaccard similarity of title words at or above which two titles name the same item. Short titles
 * that differ in one word ("Add dark mode to dashboards" and "… to reports", 3 of 5 words) stay apart.
 */
export const DUPLICATE_SIMILARITY = 0.75;
/** Share of the longer title's words that a contained shorter title must cover to count as a duplicate. */
export const CONTAINED_COVERAGE = 0.6;

/** Lower-case words without accents or stop words, with a plural `s` removed: `Dashboards` → `dashboard`. */
export function titleWords(title: string): Set<string> {
  const words = title
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !stopWords.has(word))
    .map((word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word));
  return new Set(words);
}

export function titleSimilarity(a: string, b: string): number {
  const left = titleWords(a);
  const right = titleWords(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / (left.size + right.size - shared);
}

/**
 * Find the existing item a title duplicates: the most similar one at or above DUPLICATE_SIMILARITY,
 * or one whose words all appear in the other title when they make up CONTAINED_COVERAGE of it
 * ("Dark mode" and "Dark mode for the app", but not "Export data" and "Export data to Google Sheets").
 */
export function findDuplicate<Item extends { title: string }>(title: string, existing: readonly Item[]): Item | null {
  const words = titleWords(title);
  let best: { item: Item; similarity: number } | null = null;
  for (const item of existing) {
    const similarity = titleSimilarity(title, item.title);
    const other = titleWords(item.title);
    const smaller = words.size <= other.size ? words : other;
    const larger = smaller === words ? other : words;
    const contained =
      smaller.size >= 2 &&
      smaller.size / larger.size >= CONTAINED_COVERAGE &&
      [...smaller].every((word) => larger.has(word));
    if ((similarity >= DUPLICATE_SIMILARITY || contained) && (!best || similarity > best.similarity)) {
      best = { item, similarity };
    }
  }
  return best?.item ?? null;
}
