/**
 * Rough stand-ins for a model's tokenizer and a reader's eye: enough for plausible token counts,
 * streaming chunk sizes and keyword picks, not a real BPE.
 */

/** Words, numbers and single punctuation marks, each with the whitespace before it. */
const tokenPattern = /\s*[\p{L}\p{M}]+|\s*\p{N}+|\s*[^\s\p{L}\p{M}\p{N}]|\s+/gu;

export function splitTokens(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

export function countTokens(text: string): number {
  return splitTokens(text).length;
}

const stopwords = new Set(
  (
    "a about above after again against all also although among an and any are as at be because been before being " +
    "below between both but by can could did do does doing down during each few for from further had has have having " +
    "he her here hers him his how i if in into is it its itself just like make many me more most much must my need " +
    "needs no nor not now of off on once only or other our ours out over own same she should so some such than that " +
    "the their them then there these they this those through to too under until up use used using very via was we " +
    "were what when where which while who whom why will with would you your yours able want wants really still get " +
    "gets every item items user users customer customers please first last next take takes thing things " +
    "au aux avec ce ces cette dans de des du elle en est et eux il ils je la le les leur lui mais me mes moi mon ne " +
    "nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous plus " +
    "comme fait faire sont peut tout tous très aussi sans être avoir"
  ).split(" "),
);

export function normalizeWord(word: string): string {
  return word.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Lower-case words without diacritics, in order. */
export function words(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map(normalizeWord);
}

/** Words of at least four letters that carry meaning. */
export function significantWords(text: string): string[] {
  return words(text).filter((word) => word.length >= 4 && !stopwords.has(word) && !/^\d+$/.test(word));
}

/**
 * Words of at least three letters that carry meaning, with a plural or verb ending cut off, so that
 * "exports", "exported" and "export" compare equal. Three letters keep short names such as PDF.
 */
export function searchTerms(text: string): string[] {
  return words(text)
    .filter((word) => word.length >= 3 && !stopwords.has(word) && !/^\d+$/.test(word))
    .map(stemWord);
}

function stemWord(word: string): string {
  for (const suffix of ["ing", "ed", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

/**
 * Keywords by the number of texts they appear in, most frequent first; ties go alphabetically so
 * that the output is deterministic.
 */
export function rankKeywords(texts: readonly string[], limit: number): Array<{ word: string; count: number }> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of new Set(significantWords(text))) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
    .slice(0, limit);
}

const frenchMarkers = new Set([
  "le",
  "la",
  "les",
  "des",
  "est",
  "pourquoi",
  "une",
  "pour",
  "dans",
  "avec",
  "sont",
  "quel",
  "quelle",
]);
const englishMarkers = new Set(["the", "is", "why", "what", "which", "and", "for", "with", "are", "does", "how"]);

/** French when French function words outnumber English ones. */
export function detectLanguage(text: string): "en" | "fr" {
  let french = 0;
  let english = 0;
  for (const word of words(text)) {
    if (frenchMarkers.has(word)) french++;
    if (englishMarkers.has(word)) english++;
  }
  return french > english ? "fr" : "en";
}
