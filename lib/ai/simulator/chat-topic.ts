import { truncateText } from "@/lib/text";
import {
  type ChatContext,
  describeItem,
  findItemByPhrase,
  findItemsById,
  findSourcesAbout,
  labelOf,
  pickSentenceAbout,
} from "./chat-context";
import { type ChatPhrases, joinList } from "./chat-phrases";
import { rankKeywords, searchTerms, words } from "./text";

/**
 * Summaries for "what do customers say about Z?": the sources that mention Z, each quoted by its
 * sentence about Z with its `[n]`. Quotes are data shown in quotation marks, and nothing in them
 * is read as an instruction.
 */

const customerNouns = [
  "customers?",
  "users?",
  "clients?",
  "people",
  "feedback",
  "requests?",
  "utilisateurs?",
  "usagers?",
  "retours?",
];
const opinionVerbs = [
  "say",
  "says",
  "said",
  "saying",
  "think",
  "thinks",
  "want",
  "wants",
  "wanted",
  "ask",
  "asks",
  "asked",
  "asking",
  "report",
  "reports",
  "reported",
  "complain",
  "complains",
  "mention",
  "mentions",
  "feel",
  "feels",
  "feedback",
  "tell",
  "tells",
  "request",
  "requests",
  "disent",
  "dit",
  "pensent",
  "pense",
  "demandent",
  "demande",
  "veulent",
  "veut",
  "signalent",
  "racontent",
  "mentionnent",
  "retours?",
];
const customerPattern = new RegExp(`\\b(?:${customerNouns.join("|")})\\b`, "i");
const opinionPattern = new RegExp(`\\b(?:${opinionVerbs.join("|")})\\b`, "i");

/** Words that ask for an opinion rather than name the subject, as search terms. */
const questionTerms = new Set(
  searchTerms(
    [...customerNouns, ...opinionVerbs, "what how which there regarding concerning que quoi propos sujet concernant"]
      .join(" ")
      .replace(/s\?/g, "s"),
  ),
);

/** The subject after "about", "regarding", "sur", "à propos de"…, else after "on", "du", "de l'"…. */
const subjectPatterns = [
  /\b(?:about|regarding|concerning|concernant)\s+(.+)$/i,
  /(?:à propos|au sujet)\s+(?:de la |de l'|du |des |de |d')(.+)$/i,
  /(?<![\p{L}])(?:(?:on|of|sur|du|des|de la)\s+|de l'|d')(.+)$/iu,
];

const MAX_QUOTES = 4;
const QUOTE_LENGTH = 160;

/** Return the sentences of the answer, or undefined when the question does not ask what customers say. */
export function summarizeCustomerSources(
  context: ChatContext,
  question: string,
  text: ChatPhrases,
): string[] | undefined {
  if (!customerPattern.test(question) || !opinionPattern.test(question)) return undefined;

  const phrase = readSubjectPhrase(question);
  const namedItem = findItemsById(context.items, phrase ?? question)[0];
  const item = namedItem ?? (phrase ? findItemByPhrase(context.items, phrase) : undefined);
  const terms = item
    ? searchTerms(item.title)
    : searchTerms(phrase ?? question).filter((term) => !questionTerms.has(term));
  const topic = item ? labelOf(item) : phrase || subjectWords(question, terms) || text.thisSubject;
  const subject = { ids: item ? [item.id] : [], terms, minShared: 2 };

  const strong = findSourcesAbout(context.sources, subject, MAX_QUOTES);
  const numbers = strong.length > 0 ? strong : findSourcesAbout(context.sources, { ...subject, minShared: 1 }, 2);
  const sentences =
    terms.length === 0 || numbers.length === 0
      ? [text.noSourceMentions(topic)]
      : quoteSources(context, { numbers, terms, topic }, text);
  if (item) sentences.push(describeItem(context, item, text));
  return sentences;
}

/** Count, quote and cite the chosen sources, then name the words they share beyond the subject. */
function quoteSources(
  context: ChatContext,
  chosen: { numbers: number[]; terms: string[]; topic: string },
  text: ChatPhrases,
): string[] {
  const cited = chosen.numbers.flatMap((number) => context.sources.filter((source) => source.number === number));
  const quotes = cited.map(
    (source) => `"${toQuote(pickSentenceAbout(source.text || source.title, chosen.terms))}" [${source.number}]`,
  );
  const sentences = [
    text.sourcesMention(cited.length, context.sources.length, chosen.topic),
    text.quotes(quotes.join("; ")),
  ];

  const themes = rankKeywords(
    cited.map((source) => source.text),
    8,
  ).filter((keyword) => keyword.count >= 2 && !chosen.terms.includes(searchTerms(keyword.word)[0] ?? ""));
  if (themes.length > 0) {
    const themeWords = themes.slice(0, 3).map((keyword) => keyword.word);
    sentences.push(text.themes(joinList(themeWords, text.and)));
  }
  return sentences;
}

function readSubjectPhrase(question: string): string | undefined {
  for (const pattern of subjectPatterns) {
    const match = pattern.exec(question);
    const phrase = match?.[1]
      ?.replace(/[\s?!.]+$/, "")
      .replace(/^(?:(?:the|a|an|la|le|les)\s+|l')/i, "")
      .trim();
    if (phrase) return truncateText(phrase, 60);
  }
  return undefined;
}

/** Return the question's own words for the subject terms, for a question without "about". */
function subjectWords(question: string, terms: readonly string[]): string {
  const wanted = new Set(terms);
  return words(question)
    .filter((word) => wanted.has(searchTerms(word)[0] ?? ""))
    .join(" ");
}

/** Turn a source sentence into a quote: no `"` inside, and no `[n]` that would read as a citation. */
function toQuote(sentence: string): string {
  const cleaned = sentence
    .replace(/\[\d+\]/g, "")
    .replace(/"/g, "'")
    .replace(/\s+/g, " ")
    .trim();
  return truncateText(cleaned, QUOTE_LENGTH);
}
