import { getTranslations } from "next-intl/server";
import type { PromptVariable } from "@/lib/prompts/manifest";

/** A translator of the `promptAdmin.builtIn` namespace, or any function with the same contract. */
export interface BuiltInTextTranslator {
  (key: string): string;
  has(key: string): boolean;
}

/**
 * Return a prompt's description and variable descriptions in the UI language. The catalogs
 * translate the texts of the built-in prompts. A text that no longer equals the English catalog
 * text was changed by an admin, so it is shown as stored.
 */
export function localizePromptTexts<Prompt extends { key: string; description: string; variables?: PromptVariable[] }>(
  prompt: Prompt,
  translators: { current: BuiltInTextTranslator; english: BuiltInTextTranslator },
): Prompt {
  const translate = (path: string, stored: string) => {
    const { current, english } = translators;
    if (!english.has(path) || english(path) !== stored || !current.has(path)) return stored;
    return current(path);
  };
  const localized = { ...prompt, description: translate(`${prompt.key}.description`, prompt.description) };
  if (!prompt.variables) return localized;
  return {
    ...localized,
    variables: prompt.variables.map((variable) => ({
      ...variable,
      description: translate(`${prompt.key}.variables.${variable.name}`, variable.description),
    })),
  };
}

/** Load the translators that `localizePromptTexts` takes, for the request's locale. */
export async function getBuiltInTextTranslators() {
  const [current, english] = await Promise.all([
    getTranslations("promptAdmin.builtIn"),
    getTranslations({ locale: "en", namespace: "promptAdmin.builtIn" }),
  ]);
  return { current: current as BuiltInTextTranslator, english: english as BuiltInTextTranslator };
}
