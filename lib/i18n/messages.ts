import type { Locale } from "./locales";

/** Load the message catalog of a locale; `messages/en.json` is the reference for keys. */
export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  switch (locale) {
    case "fr":
      return (await import("@/messages/fr.json")).default;
    default:
      return (await import("@/messages/en.json")).default;
  }
}
