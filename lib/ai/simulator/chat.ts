import type { DataBlock } from "./blocks";
import {
  type ChatContext,
  describeItem,
  findItemByPhrase,
  findItemsById,
  findItemsByTitle,
  findSourcesAbout,
  findUnknownIds,
  labelOf,
  type RankedItem,
  readChatContext,
} from "./chat-context";
import { type ChatPhrases, chatPhrases, joinList } from "./chat-phrases";
import { summarizeCustomerSources } from "./chat-topic";
import { detectLanguage, searchTerms } from "./text";

/**
 * A chat answer built from the prompt's `<ranking>` and `<sources>` blocks and the question, which
 * decides what the answer covers: a pair of items ("why is A02 above A07?"), what the sources say
 * about a subject ("what do customers say about exports?"), one item, or the top of the ranking.
 * It cites `[n]` only for sources present and reads the blocks as data: text inside them never
 * changes what the answer covers.
 */

type Comparison = "above" | "below";

type ItemQuestion =
  | { kind: "pair"; first: RankedItem; second: RankedItem; asked?: Comparison }
  | { kind: "unresolved"; item?: RankedItem; phrase: string }
  | { kind: "single"; item: RankedItem }
  | { kind: "none" };

const comparisonPatterns: Array<{ pattern: RegExp; words: Record<string, Comparison> }> = [
  {
    pattern:
      /\b(?:why|how come)\b(.+?)\b(above|higher than|ahead of|before|over|below|lower than|behind|after|under)\b(.+)$/i,
    words: { below: "below", "lower than": "below", behind: "below", after: "below", under: "below" },
  },
  {
    pattern:
      /\bpourquoi\b(.+?)(au-dessus de|au dessus de|devant|avant|plus haut que|en dessous de|en-dessous de|au-dessous de|derrière|après|plus bas que)(.+)$/i,
    words: {
      "en dessous de": "below",
      "en-dessous de": "below",
      "au-dessous de": "below",
      derrière: "below",
      après: "below",
      "plus bas que": "below",
    },
  },
];

/** Words of a comparison that never belong to an item's name. */
const fillerPattern =
  /(?<![\p{L}\p{N}])(?:is|are|does|do|the|ranked|ranks|rank|rated|placed|scored|still|item|est-il|est-elle|est|classée?s?|l'élément|élément)(?![\p{L}\p{N}])|[?!.,]/giu;

export function generateChatAnswer(blocks: readonly DataBlock[], question: string, systemText: string): string {
  const text = chatPhrases[detectLanguage(`${question} ${systemText}`)];
  const context = readChatContext(blocks);
  if (context.items.length === 0) return text.noRanking;

  const unknownIds = findUnknownIds(context.items, question);
  const sentences = unknownIds.length > 0 ? [text.notFound(joinList(unknownIds, text.and))] : [];
  const asked = readItemQuestion(context.items, question);
  const customers = asked.kind === "pair" ? undefined : summarizeCustomerSources(context, question, text);
  if (customers) return [...sentences, ...customers].join(" ");

  sentences.push(...explainItems(context, { asked, unknownIds }, text), text.formula);
  return sentences.join(" ");
}

function explainItems(
  context: ChatContext,
  question: { asked: ItemQuestion; unknownIds: string[] },
  text: ChatPhrases,
): string[] {
  const { asked } = question;
  switch (asked.kind) {
    case "pair":
      return explainPair(context, asked, text);
    case "single":
      return [describeItem(context, asked.item, text), ...citeEvidence(context, [asked.item], text)];
    case "unresolved": {
      const items = asked.item ? [asked.item] : [];
      const sentences = items.map((item) => describeItem(context, item, text));
      // An unknown id in the phrase already has its "cannot find" sentence.
      if (!question.unknownIds.some((id) => asked.phrase.includes(id)))
        sentences.push(text.unknownPhrase(asked.phrase));
      return [...sentences, ...citeEvidence(context, items, text)];
    }
    case "none": {
      const top = context.items.slice(0, 3).filter((item) => item.rank !== undefined);
      const labels = top.map((item) => `${labelOf(item)} (#${item.rank})`);
      return [text.top(joinList(labels, text.and)), ...citeEvidence(context, top.slice(0, 2), text)];
    }
  }
}

function readItemQuestion(items: readonly RankedItem[], question: string): ItemQuestion {
  const byId = findItemsById(items, question);
  const comparison = readComparison(question);
  const [firstNamed, secondNamed] = byId;
  if (firstNamed && secondNamed)
    return { kind: "pair", first: firstNamed, second: secondNamed, asked: comparison?.asked };

  if (comparison) {
    const left = findItemsById(items, comparison.left)[0] ?? findItemByPhrase(items, comparison.left);
    const right = findItemsById(items, comparison.right)[0] ?? findItemByPhrase(items, comparison.right);
    if (left && right && left !== right) return { kind: "pair", first: left, second: right, asked: comparison.asked };
    if (left && !right) return { kind: "unresolved", item: left, phrase: comparison.right };
    if (right && !left) return { kind: "unresolved", item: right, phrase: comparison.left };
  }

  if (firstNamed) return { kind: "single", item: firstNamed };
  const [firstTitled, secondTitled] = findItemsByTitle(items, question);
  if (firstTitled && secondTitled) return { kind: "pair", first: firstTitled, second: secondTitled };
  return firstTitled ? { kind: "single", item: firstTitled } : { kind: "none" };
}

/** Split "why is X above Y?" into the two names and the order the question assumes. */
function readComparison(question: string): { left: string; right: string; asked: Comparison } | undefined {
  for (const { pattern, words } of comparisonPatterns) {
    const match = pattern.exec(question);
    if (!match) continue;
    const left = cleanName(match[1] ?? "");
    const right = cleanName(match[3] ?? "");
    if (left && right) return { left, right, asked: words[(match[2] ?? "").toLowerCase()] ?? "above" };
  }
  return undefined;
}

function cleanName(phrase: string): string {
  return phrase.replace(fillerPattern, " ").replace(/\s+/g, " ").trim();
}

function explainPair(
  context: ChatContext,
  pair: { first: RankedItem; second: RankedItem; asked?: Comparison },
  text: ChatPhrases,
): string[] {
  const { first, second } = pair;
  const firstIsHigher = rankOrder(first) <= rankOrder(second);
  const [higher, lower] = firstIsHigher ? [first, second] : [second, first];
  const sentences = [describeItem(context, higher, text), describeItem(context, lower, text)];

  if (higher.rank !== undefined && higher.rank === lower.rank)
    sentences.push(text.tied(higher.id, lower.id, higher.rank));
  else if (pair.asked === "above" && !firstIsHigher) sentences.push(text.notAbove(first.id, second.id));
  else if (pair.asked === "below" && firstIsHigher) sentences.push(text.notBelow(first.id, second.id));
  else sentences.push(text.above(higher.id, lower.id));

  const differences = listDifferences(higher, lower, text);
  const [main, ...others] = differences;
  if (main) sentences.push(text.because(text.input(main.input), main.higher, main.lower));
  if (others.length > 0) {
    const list = others.map((difference) =>
      text.difference(text.input(difference.input), difference.higher, difference.lower),
    );
    sentences.push(text.otherDifferences(joinList(list, text.and)));
  }
  if (!main && lower.rank !== undefined) sentences.push(text.sameInputs);
  if (lower.rank === undefined && higher.rank !== undefined) sentences.push(text.unscoredGap(lower.id));

  sentences.push(...citeEvidence(context, [higher, lower], text));
  return sentences;
}

function rankOrder(item: RankedItem): number {
  return item.rank ?? Number.POSITIVE_INFINITY;
}

/** Inputs both items have with different values, the largest relative difference first. */
function listDifferences(higher: RankedItem, lower: RankedItem, text: ChatPhrases) {
  return Object.entries(higher.inputs)
    .flatMap(([input, value]) => {
      const other = lower.inputs[input];
      if (other === undefined || other === value) return [];
      const ratio = Math.abs(value - other) / Math.max(Math.abs(value), Math.abs(other), 1e-9);
      return [{ input, ratio, higher: text.number(value), lower: text.number(other) }];
    })
    .sort((a, b) => b.ratio - a.ratio);
}

/** Cite, in one sentence per item, the sources that name it or its title; one sentence says when none does. */
function citeEvidence(context: ChatContext, items: readonly RankedItem[], text: ChatPhrases): string[] {
  const sentences: string[] = [];
  for (const item of items) {
    const subject = { ids: [item.id], terms: searchTerms(item.title), minShared: 2 };
    const numbers = findSourcesAbout(context.sources, subject, 3);
    const cited = numbers.length > 0 ? numbers : findSourcesAbout(context.sources, { ...subject, minShared: 1 }, 2);
    if (cited.length === 0) continue;
    const cites = joinList(
      cited.map((number) => `[${number}]`),
      text.and,
    );
    sentences.push(text.evidence(item.id, cites));
  }
  if (sentences.length === 0 && context.sources.length > 0 && items.length > 0) sentences.push(text.noEvidence);
  return sentences;
}
