import type { InputName } from "@/lib/prioritization/scales";

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

const plural = (count: number, one: string, many: string) => (count === 1 ? `1 ${one}` : `${count} ${many}`);

export const taskPhrases = {
  en: {
    noEvidence: (input: string, item: string) =>
      `No evidence in the prompt supports a ${input} estimate for ${item}, so a PM should set it.`,
    proposal: (item: string, count: number, ids: string, input: InputName, value: string) =>
      `${item}: ${plural(count, "evidence item", "evidence items")} (${ids}) ${inputReasons.en[input]}, so ${input} is ${value}.`,
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
    proposal: (item: string, count: number, ids: string, input: InputName, value: string) =>
      `${item} : ${plural(count, "élément de preuve", "éléments de preuve")} (${ids}) ${inputReasons.fr[input]}, donc ${input} vaut ${value}.`,
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
