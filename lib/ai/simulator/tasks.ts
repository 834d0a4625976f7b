import {
  type InputName,
  inputDefinitions,
  inputNames,
  isValidInputValue,
  localizeUnit,
} from "@/lib/prioritization/scales";
import type { FeedbackSummary, InputProposal, ItemSuggestions, PrioritizationProposals } from "@/lib/tasks/schemas";
import { truncateText } from "@/lib/text";
import { blockRecords, type DataBlock, type JsonRecord, readString, readStringArray } from "./blocks";
import { chatPhrases } from "./chat-phrases";
import { pick, randomFor } from "./random";
import { type Language, taskPhrases } from "./task-phrases";
import { rankKeywords, significantWords, words } from "./text";

/**
 * Plausible answers for Rankwise's own tasks, built from the prompt's data blocks: values on the
 * inputs' scales, rationales that name the item, and evidence ids taken only from the prompt.
 */

interface Snippet {
  id: string;
  text: string;
}

/** Evidence and feedback objects present in the prompt, by id. */
function collectSnippets(blocks: readonly DataBlock[]): Map<string, Snippet> {
  const snippets = new Map<string, Snippet>();
  for (const tag of ["evidence", "feedback", "documents"]) {
    for (const record of blockRecords(blocks, tag)) {
      const id = readString(record, "id");
      if (id) snippets.set(id, { id, text: readString(record, "text", "content", "summary") ?? "" });
    }
  }
  return snippets;
}

const isInputName = (name: string): name is InputName => (inputNames as string[]).includes(name);

export function generateProposals(
  blocks: readonly DataBlock[],
  seed: number,
  language: Language,
): PrioritizationProposals {
  const snippets = collectSnippets(blocks);
  const hasEvidenceBlock = blocks.some((block) => ["evidence", "feedback", "documents"].includes(block.tag));
  const items = blockRecords(blocks, "backlog_items");

  return {
    items: items.flatMap((item) => {
      const itemId = readString(item, "id", "item_id");
      if (!itemId) return [];
      const cited = readStringArray(item, "evidence_ids").filter((id) => !hasEvidenceBlock || snippets.has(id));
      const missing = [...new Set(readStringArray(item, "missing"))].filter(isInputName);
      const proposals = missing.map((input) => proposeInput({ item, itemId, input, cited, seed, language }));
      return [{ item_id: itemId, proposals }];
    }),
  };
}

function proposeInput(request: {
  item: JsonRecord;
  itemId: string;
  input: InputName;
  cited: string[];
  seed: number;
  language: Language;
}): InputProposal {
  const { item, itemId, input, cited, seed } = request;
  const phrases = taskPhrases[request.language];
  const title = truncateText(readString(item, "title") ?? itemId, 80);
  const label = request.language === "fr" ? `${itemId} « ${title} »` : `${itemId} "${title}"`;
  if (cited.length === 0) {
    return {
      input,
      value: null,
      rationale: phrases.noEvidence(chatPhrases[request.language].input(input), label),
      evidence_ids: [],
      insufficient_evidence: true,
    };
  }

  const random = randomFor(seed, itemId, input, title);
  const value = proposeValue(input, cited.length, random);
  const ids = cited.slice(0, 10);
  const quantity = phrases.quantity(value, localizeUnit(input, request.language));
  return {
    input,
    value,
    rationale: phrases.proposal(label, cited, input, quantity),
    evidence_ids: ids,
    insufficient_evidence: false,
  };
}

/** Propose a value on the input's scale that grows with the amount of evidence, varied by the seed. */
function proposeValue(input: InputName, evidenceCount: number, random: () => number): number {
  const strength = Math.min(evidenceCount, 4);
  const jitter = Math.floor(random() * 2);
  const definition = inputDefinitions[input];
  let value: number;
  if (input === "reach") {
    value = pick(random, [200, 500, 1000, 2000, 5000, 10_000].slice(strength - 1, strength + 2));
  } else if (input === "effort") {
    value = pick(random, [0.5, 1, 2, 3, 5, 8]);
  } else if (input === "confidence") {
    value = 50;
    if (strength === 2) value = 80;
    if (strength >= 3) value = 100;
  } else if (input === "ice_ease" || input === "job_size") {
    const scale = definition.scale;
    value = scale.kind === "set" ? pick(random, scale.values.slice(0, 5)) : 3 + Math.floor(random() * 5);
  } else if (definition.scale.kind === "set") {
    const values = definition.scale.values;
    value = values[Math.min(values.length - 1, strength - 1 + jitter)] as number;
  } else {
    const { min, max } = definition.scale;
    value = Math.min(max, Math.max(min, 2 + strength * 2 - jitter));
  }
  return isValidInputValue(input, value) ? value : fallbackValue(input);
}

function fallbackValue(input: InputName): number {
  const scale = inputDefinitions[input].scale;
  return scale.kind === "set" ? (scale.values[0] as number) : scale.min;
}

/** Feedback and evidence snippets with text, once per id. */
function feedbackSnippets(blocks: readonly DataBlock[]): Snippet[] {
  return [...collectSnippets(blocks).values()].filter((snippet) => snippet.text);
}

function idsMentioning(snippets: readonly Snippet[], word: string): string[] {
  return snippets.filter((snippet) => words(snippet.text).includes(word)).map((snippet) => snippet.id);
}

export function generateFeedbackSummary(blocks: readonly DataBlock[], language: Language): FeedbackSummary {
  const phrases = taskPhrases[language];
  const snippets = feedbackSnippets(blocks);
  const themeBlock = blocks.find((block) => block.tag === "theme");
  const keywords = rankKeywords(
    snippets.map((snippet) => snippet.text),
    4,
  );
  const theme =
    (typeof themeBlock?.value === "string" ? themeBlock.value : themeBlock?.raw.trim()) ||
    keywords[0]?.word ||
    "general";

  if (snippets.length === 0) {
    return {
      theme,
      summary: phrases.noFeedback,
      asks: [],
      snippet_count: 0,
      affected: "",
    };
  }
  const topics = keywords.map((keyword) => keyword.word);
  return {
    theme,
    summary: phrases.summary(snippets.length, theme, topics.join(", ")),
    asks: keywords.map((keyword) => ({
      text: phrases.ask(keyword.word, keyword.count, snippets.length),
      evidence_ids: idsMentioning(snippets, keyword.word).slice(0, 10),
    })),
    snippet_count: snippets.length,
    affected: phrases.affected(topics.slice(0, 2)),
  };
}

export function generateItemSuggestions(blocks: readonly DataBlock[], language: Language): ItemSuggestions {
  const phrases = taskPhrases[language];
  const snippets = feedbackSnippets(blocks);
  const existing = blockRecords(blocks, "existing_items");
  const covered = new Set(existing.flatMap((item) => significantWords(`${readString(item, "title") ?? ""}`)));
  const theme = readString(existing[0] ?? {}, "theme") ?? "Feedback";

  const uncovered = rankKeywords(
    snippets.map((snippet) => snippet.text),
    20,
  ).filter((keyword) => !covered.has(keyword.word));

  return {
    suggestions: uncovered.slice(0, 3).map((keyword) => {
      const ids = idsMentioning(snippets, keyword.word).slice(0, 10);
      return {
        title: phrases.suggestionTitle(keyword.word),
        description: phrases.suggestionDescription(ids.length, keyword.word),
        theme: truncateText(theme, 100),
        evidence_ids: ids,
      };
    }),
  };
}
