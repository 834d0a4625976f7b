/** Sentences of the simulated chat answers, in each language the shipped prompts use. */

import { inputLabels } from "@/lib/prioritization/changes";
import type { InputName } from "@/lib/prioritization/scales";

/** Write a number with at most two decimals, with the language's decimal sign and no grouping. */
export function formatNumber(value: number, language: "en" | "fr" = "en"): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2, useGrouping: false }).format(value);
}

export function joinList(values: readonly string[], conjunction: string): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")} ${conjunction} ${values[values.length - 1]}`;
}

/** French input names; English ones are the change lines' labels. A name missing from a map is shown as it is. */
const frenchInputNames: Record<InputName, string> = {
  reach: "portée",
  impact: "impact",
  confidence: "confiance",
  effort: "effort",
  ice_impact: "impact ICE",
  ice_confidence: "confiance ICE",
  ice_ease: "facilité",
  business_value: "valeur métier",
  time_criticality: "criticité temporelle",
  risk_reduction: "réduction du risque",
  job_size: "taille du travail",
};

const english = {
  and: "and",
  number: (value: number) => formatNumber(value, "en"),
  input: (name: string) => inputLabels[name as InputName] ?? name,
  noRanking: "There is no ranking in the context, so I cannot compare items.",
  rankedAt: (item: string, rank: number, total: number, score: string, inputs: string) =>
    `${item} is ranked #${rank} of ${total}${score}${inputs}.`,
  score: (framework: string | undefined, score: number) =>
    ` with a ${framework ? `${framework} ` : ""}score of ${formatNumber(score)}`,
  unscored: (item: string, missing: string[]) =>
    missing.length > 0
      ? `${item} has no score yet, because ${joinList(missing, "and")} ${missing.length > 1 ? "are" : "is"} missing.`
      : `${item} has no score yet.`,
  above: (a: string, b: string) => `${a} is above ${b}.`,
  notAbove: (a: string, b: string) => `${a} is below ${b}, not above it.`,
  notBelow: (a: string, b: string) => `${a} is above ${b}, not below it.`,
  tied: (a: string, b: string, rank: number) => `${a} and ${b} are tied at #${rank} with the same score.`,
  because: (input: string, a: string, b: string) => `The main difference is ${input}: ${a} against ${b}.`,
  otherDifferences: (list: string) => `The other inputs that differ are ${list}.`,
  difference: (input: string, a: string, b: string) => `${input} ${a} against ${b}`,
  sameInputs: "Their inputs have the same values.",
  unscoredGap: (item: string) => `${item} stays below every scored item until its missing inputs are set.`,
  notFound: (ids: string) => `I cannot find ${ids} in the ranking given.`,
  unknownPhrase: (phrase: string) =>
    `I cannot tell which item "${phrase}" means, because no single item in the ranking given has that title.`,
  top: (items: string) => `The top of the ranking is ${items}.`,
  evidence: (item: string, cites: string) => `The evidence for ${item} comes from ${cites}.`,
  noEvidence: "None of the sources given mentions these items directly.",
  formula: "Scores come from the framework's formula applied to these inputs, not from the model.",
  sourcesMention: (count: number, total: number, topic: string) =>
    `${count} of the ${total} sources given ${count === 1 ? "mentions" : "mention"} ${topic}.`,
  quotes: (quotes: string) => `In their words: ${quotes}.`,
  themes: (words: string) => `Other words that come up in these sources: ${words}.`,
  thisSubject: "this subject",
  noSourceMentions: (topic: string) =>
    `None of the sources given mentions ${topic}, so I cannot say what customers think of it. Feedback or documents about it would answer the question.`,
};

export type ChatPhrases = typeof english;

const french: ChatPhrases = {
  and: "et",
  number: (value) => formatNumber(value, "fr"),
  input: (name) => frenchInputNames[name as InputName] ?? name,
  noRanking: "Le contexte ne contient pas de classement, je ne peux donc pas comparer les éléments.",
  rankedAt: (item, rank, total, score, inputs) => `${item} est classé n°${rank} sur ${total}${score}${inputs}.`,
  score: (framework, score) => ` avec un score ${framework ? `${framework} ` : ""}de ${formatNumber(score, "fr")}`,
  unscored: (item, missing) =>
    missing.length > 0
      ? `${item} n'a pas encore de score, car il manque ${joinList(
          missing.map((name) => `« ${name} »`),
          "et",
        )}.`
      : `${item} n'a pas encore de score.`,
  above: (a, b) => `${a} est au-dessus de ${b}.`,
  notAbove: (a, b) => `${a} est en dessous de ${b}, pas au-dessus.`,
  notBelow: (a, b) => `${a} est au-dessus de ${b}, pas en dessous.`,
  tied: (a, b, rank) => `${a} et ${b} sont ex æquo à la place n°${rank}, avec le même score.`,
  because: (input, a, b) => `La principale différence porte sur « ${input} » : ${a} contre ${b}.`,
  otherDifferences: (list) => `Les autres entrées qui diffèrent sont ${list}.`,
  difference: (input, a, b) => `${input} ${a} contre ${b}`,
  sameInputs: "Leurs entrées ont les mêmes valeurs.",
  unscoredGap: (item) =>
    `${item} reste sous tous les éléments notés tant que ses entrées manquantes ne sont pas saisies.`,
  notFound: (ids) => `Je ne trouve pas ${ids} dans le classement fourni.`,
  unknownPhrase: (phrase) =>
    `Je ne sais pas quel élément « ${phrase} » désigne, car aucun élément unique du classement fourni ne porte ce titre.`,
  top: (items) => `Le haut du classement est ${items}.`,
  evidence: (item, cites) => `Les éléments de preuve pour ${item} viennent de ${cites}.`,
  noEvidence: "Aucune des sources fournies ne mentionne directement ces éléments.",
  formula: "Les scores viennent de la formule du cadre appliquée à ces valeurs, pas du modèle.",
  sourcesMention: (count, total, topic) =>
    `${count} des ${total} sources fournies ${count === 1 ? "mentionne" : "mentionnent"} ${topic}.`,
  quotes: (quotes) => `Dans leurs mots : ${quotes}.`,
  themes: (words) => `Autres mots qui reviennent dans ces sources : ${words}.`,
  thisSubject: "ce sujet",
  noSourceMentions: (topic) =>
    `Aucune des sources fournies ne mentionne ${topic}, je ne peux donc pas dire ce qu'en pensent les clients. Des retours ou des documents sur ce sujet permettraient de répondre.`,
};

export const chatPhrases = { en: english, fr: french };
