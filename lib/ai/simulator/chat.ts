import { blockRecords, type DataBlock, type JsonRecord, readNumber, readString } from "./blocks";
import { detectLanguage, normalizeWord, significantWords, truncateText } from "./text";

/**
 * A chat answer built from the prompt's `<ranking>` and `<sources>` blocks and the question outside
 * them. It cites `[n]` only for sources present, and reads the blocks as data: nothing written
 * inside them changes the answer's structure.
 */

interface RankedItem {
  rank: number;
  id: string;
  title: string;
  score?: number;
  inputs: Record<string, number>;
}

interface Source {
  number: number;
  text: string;
}

const phrases = {
  en: {
    noRanking: "There is no ranking in the context, so I cannot compare items.",
    rankedAt: (item: string, rank: number, total: number, score: string) =>
      `${item} is ranked #${rank} of ${total}${score}.`,
    above: (a: string, b: string) => `${a} is above ${b}.`,
    because: (input: string, a: string, b: string) => `The main difference is ${input}: ${a} against ${b}.`,
    top: (items: string) => `The top of the ranking is ${items}.`,
    evidence: (item: string, cites: string) => `The evidence for ${item} comes from ${cites}.`,
    noEvidence: "None of the sources given mentions these items directly.",
    formula: "Scores come from the framework's formula applied to these inputs, not from the model.",
    score: (score: number) => ` with a score of ${formatNumber(score)}`,
    and: "and",
  },
  fr: {
    noRanking: "Le contexte ne contient pas de classement, je ne peux donc pas comparer les éléments.",
    rankedAt: (item: string, rank: number, total: number, score: string) =>
      `${item} est classé n°${rank} sur ${total}${score}.`,
    above: (a: string, b: string) => `${a} est au-dessus de ${b}.`,
    because: (input: string, a: string, b: string) => `La principale différence est ${input} : ${a} contre ${b}.`,
    top: (items: string) => `Le haut du classement est ${items}.`,
    evidence: (item: string, cites: string) => `Les éléments de preuve pour ${item} viennent de ${cites}.`,
    noEvidence: "Aucune des sources fournies ne mentionne directement ces éléments.",
    formula: "Les scores viennent de la formule du cadre appliquée à ces valeurs, pas du modèle.",
    score: (score: number) => ` avec un score de ${formatNumber(score)}`,
    and: "et",
  },
};

type Phrases = (typeof phrases)["en"];

export function generateChatAnswer(blocks: readonly DataBlock[], question: string, systemText: string): string {
  const text = phrases[detectLanguage(`${question} ${systemText}`)] as Phrases;
  const ranking = readRanking(blocks);
  const sources = readSources(blocks);
  if (ranking.length === 0) return text.noRanking;

  const mentioned = findMentionedItems(ranking, question);
  const sentences: string[] = [];
  const label = (item: RankedItem) => `${item.id} "${truncateText(item.title, 60)}"`;
  const scoreOf = (item: RankedItem) => (item.score === undefined ? "" : text.score(item.score));

  if (mentioned.length >= 2) {
    const [first, second] = [...mentioned.slice(0, 2)].sort((a, b) => a.rank - b.rank) as [RankedItem, RankedItem];
    sentences.push(text.rankedAt(label(first), first.rank, ranking.length, scoreOf(first)));
    sentences.push(text.rankedAt(label(second), second.rank, ranking.length, scoreOf(second)));
    sentences.push(text.above(first.id, second.id));
    const difference = largestDifference(first, second);
    if (difference) sentences.push(text.because(difference.input, difference.first, difference.second));
  } else if (mentioned.length === 1) {
    const item = mentioned[0] as RankedItem;
    sentences.push(text.rankedAt(label(item), item.rank, ranking.length, scoreOf(item)));
  } else {
    const top = ranking.slice(0, 3).map((item) => `${label(item)} (#${item.rank})`);
    sentences.push(text.top(joinList(top, text.and)));
  }

  const focus = mentioned.length > 0 ? mentioned.slice(0, 2) : ranking.slice(0, 2);
  let cited = false;
  for (const item of focus) {
    const numbers = sourcesAbout(item, sources);
    if (numbers.length === 0) continue;
    cited = true;
    sentences.push(
      text.evidence(
        item.id,
        joinList(
          numbers.map((n) => `[${n}]`),
          text.and,
        ),
      ),
    );
  }
  if (!cited && sources.length > 0) sentences.push(text.noEvidence);
  sentences.push(text.formula);
  return sentences.join(" ");
}

function readRanking(blocks: readonly DataBlock[]): RankedItem[] {
  const records = blockRecords(blocks, "ranking");
  const items = records.flatMap((record, index) => {
    const id = readString(record, "id", "item_id", "short_id");
    if (!id) return [];
    return [
      {
        rank: readNumber(record, "rank", "position") ?? index + 1,
        id,
        title: readString(record, "title", "name") ?? id,
        score: readNumber(record, "score"),
        inputs: readInputs(record),
      },
    ];
  });
  return items.sort((a, b) => a.rank - b.rank);
}

function readInputs(record: JsonRecord): Record<string, number> {
  const inputs: Record<string, number> = {};
  const source = record.inputs;
  if (typeof source !== "object" || source === null) return inputs;
  for (const [name, value] of Object.entries(source)) {
    const number = typeof value === "number" ? value : (value as { value?: unknown })?.value;
    if (typeof number === "number" && Number.isFinite(number)) inputs[name] = number;
  }
  return inputs;
}

/** Sources as JSON objects (`n`, `number` or position) or as `[n] text` lines. */
function readSources(blocks: readonly DataBlock[]): Source[] {
  const records = blockRecords(blocks, "sources");
  if (records.length > 0) {
    return records.map((record, index) => ({
      number: readNumber(record, "n", "number", "index") ?? index + 1,
      text: [readString(record, "title"), readString(record, "text", "content", "snippet")].filter(Boolean).join(" "),
    }));
  }
  const raw = blocks.find((block) => block.tag === "sources")?.raw ?? "";
  return [...raw.matchAll(/^\s*\[(\d+)\]\s*(.*)$/gm)].map((match) => ({
    number: Number(match[1]),
    text: match[2] ?? "",
  }));
}

function findMentionedItems(ranking: readonly RankedItem[], question: string): RankedItem[] {
  const lowered = question.toLowerCase();
  const byId = ranking.filter((item) =>
    new RegExp(`(^|[^\\w#])${escapeRegExp(item.id.toLowerCase())}(?!\\w)`).test(lowered),
  );
  if (byId.length > 0) return orderOfMention(byId, lowered, (item) => item.id.toLowerCase());

  const questionWords = new Set(significantWords(question));
  const byTitle = ranking.filter((item) => {
    const titleWords = significantWords(item.title);
    return (
      titleWords.length > 0 &&
      titleWords.filter((word) => questionWords.has(word)).length >= Math.min(2, titleWords.length)
    );
  });
  return byTitle.slice(0, 2);
}

function orderOfMention(items: RankedItem[], text: string, key: (item: RankedItem) => string): RankedItem[] {
  return [...items].sort((a, b) => text.indexOf(key(a)) - text.indexOf(key(b)));
}

function largestDifference(
  first: RankedItem,
  second: RankedItem,
): { input: string; first: string; second: string } | undefined {
  let best: { input: string; ratio: number; first: number; second: number } | undefined;
  for (const [input, value] of Object.entries(first.inputs)) {
    const other = second.inputs[input];
    if (other === undefined || value === other) continue;
    const ratio = Math.abs(value - other) / Math.max(Math.abs(value), Math.abs(other), 1e-9);
    if (!best || ratio > best.ratio) best = { input, ratio, first: value, second: other };
  }
  if (!best) return undefined;
  return { input: best.input, first: formatNumber(best.first), second: formatNumber(best.second) };
}

function sourcesAbout(item: RankedItem, sources: readonly Source[]): number[] {
  const titleWords = new Set(significantWords(item.title));
  const id = normalizeWord(item.id);
  return sources
    .filter((source) => {
      const text = source.text.toLowerCase();
      return text.includes(id) || significantWords(source.text).some((word) => titleWords.has(word));
    })
    .map((source) => source.number)
    .slice(0, 3);
}

function joinList(values: string[], conjunction: string): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} ${conjunction} ${values[values.length - 1]}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
