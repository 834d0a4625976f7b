import type { InputName } from "@/lib/prioritization/scales";
import { chatPhrases, formatNumber } from "./chat-phrases";

/** Sentences of the simulated task outputs, in the prompt's language (English or French). */

export type Language = "en" | "fr";

const inputReasons: Record<Language, Record<InputName, string>> = {
  en: {
    reach: "show how many people ask for it",
    impact: "describe how much it matters to them",
    confidence: "set how sure this estimate can be",
    effort: "suggest the scope of the work",
    ice_impact: "describe how much it matters",
    ice_confidence: "set how sure this estimate can be",
    ice_ease: "suggest how hard it is to build",
    business_value: "describe its value to customers",
    time_criticality: "show how urgent it is",
    risk_reduction: "show the risk it removes",
    job_size: "suggest the size of the job",
  },
  fr: {
    reach: "montrent combien de personnes le demandent",
    impact: "décrivent à quel point cela compte pour elles",
    confidence: "indiquent le degré de certitude de cette estimation",
    effort: "donnent une idée de l’ampleur du travail",
    ice_impact: "décrivent à quel point cela compte",
    ice_confidence: "indiquent le degré de certitude de cette estimation",
    ice_ease: "donnent une idée de la difficulté de réalisation",
    business_value: "décrivent sa valeur pour les clients",
    time_criticality: "montrent son urgence",
    risk_reduction: "montrent le risque qu’il réduit",
    job_size: "donnent une idée de la taille du travail",
  },
};

/** French verbs of `inputReasons`, plural to singular; an English verb takes an "s". */
const frenchSingularVerbs: Record<string, string> = {
  montrent: "montre",
  décrivent: "décrit",
  indiquent: "indique",
  donnent: "donne",
};

/** Return the reason for an input, its verb agreeing with the number of evidence items. */
function reasonFor(language: Language, input: InputName, count: number): string {
  const reason = inputReasons[language][input];
  if (count !== 1) return reason;
  const [verb = "", ...rest] = reason.split(" ");
  const singular = language === "fr" ? (frenchSingularVerbs[verb] ?? verb) : `${verb}s`;
  return [singular, ...rest].join(" ");
}

const plural = (count: number, one: string, many: string) => (count === 1 ? `1 ${one}` : `${count} ${many}`);

/** Units that change for a quantity of one, by their plural. */
const singularUnits: Record<string, string> = {
  "people per quarter": "person per quarter",
  "person-months": "person-month",
  "personnes par trimestre": "personne par trimestre",
};

/** Write a value with its unit, if any, singular for one. */
function quantityIn(language: Language, value: number, unit: string | undefined): string {
  const number = formatNumber(value, language);
  if (!unit) return number;
  return `${number} ${value === 1 ? (singularUnits[unit] ?? unit) : unit}`;
}

/** Cited ids listed in a rationale; the rest are counted. */
const SHOWN_IDS = 3;

export const taskPhrases = {
  en: {
    noEvidence: (input: string, item: string) =>
      `No evidence in the prompt supports a ${input} estimate for ${item}, so a PM should set it.`,
    proposal: (item: string, ids: readonly string[], input: InputName, value: string) =>
      `${item}: ${taskPhrases.en.evidenceIds(ids)} ${reasonFor("en", input, ids.length)}, so ${chatPhrases.en.input(input)} is ${value}.`,
    evidenceIds: (ids: readonly string[]) => {
      const listed = ids.slice(0, SHOWN_IDS).join(", ");
      const more = ids.length > SHOWN_IDS ? ` and ${ids.length - SHOWN_IDS} more` : "";
      return `${plural(ids.length, "evidence item", "evidence items")} (${listed}${more})`;
    },
    quantity: (value: number, unit: string | undefined) => quantityIn("en", value, unit),
    noFeedback: "No feedback snippets were given for this theme.",
    summary: (count: number, theme: string, topics: string) =>
      `${plural(count, "feedback snippet", "feedback snippets")} about ${theme}. The most frequent topics are ${topics}.`,
    ask: (word: string, count: number, total: number) =>
      `Address the feedback about ${word} (${count} of ${total} snippets).`,
    affected: (topics: string[]) => `People who wrote about ${topics.join(" and ")}.`,
    suggestionTitle: (word: string) => `Address feedback about ${word}`,
    suggestionDescription: (count: number, word: string) =>
      `${plural(count, "feedback snippet mentions", "feedback snippets mention")} ${word}, and no existing backlog item covers it.`,
  },
  fr: {
    noEvidence: (input: string, item: string) =>
      `Aucun élément du contexte n’appuie une estimation de ${input} pour ${item} : un PM doit la fixer.`,
    proposal: (item: string, ids: readonly string[], input: InputName, value: string) =>
      `${item} : ${taskPhrases.fr.evidenceIds(ids)} ${reasonFor("fr", input, ids.length)}, donc ${chatPhrases.fr.input(input)} vaut ${value}.`,
    evidenceIds: (ids: readonly string[]) => {
      const listed = ids.slice(0, SHOWN_IDS).join(", ");
      const more = ids.length > SHOWN_IDS ? ` et ${ids.length - SHOWN_IDS} autres` : "";
      return `${plural(ids.length, "élément de preuve", "éléments de preuve")} (${listed}${more})`;
    },
    quantity: (value: number, unit: string | undefined) => quantityIn("fr", value, unit),
    noFeedback: "Aucun retour n’a été fourni pour ce thème.",
    summary: (count: number, theme: string, topics: string) =>
      `${plural(count, "retour", "retours")} sur ${theme}. Les sujets les plus fréquents sont ${topics}.`,
    ask: (word: string, count: number, total: number) => `Traiter les retours sur ${word} (${count} sur ${total}).`,
    affected: (topics: string[]) => `Les personnes qui ont écrit sur ${topics.join(" et ")}.`,
    suggestionTitle: (word: string) => `Traiter les retours sur ${word}`,
    suggestionDescription: (count: number, word: string) =>
      `${plural(count, "retour mentionne", "retours mentionnent")} ${word}, et aucun élément existant du backlog ne le couvre.`,
  },
} satisfies Record<Language, unknown>;
