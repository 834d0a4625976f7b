import { isLocale, type Locale } from "./locales";
import { loadMessages } from "./messages";

/** Locale, messages and time zone of one next-intl configuration. */
export interface IntlRequestConfig {
  locale: Locale;
  messages: Record<string, unknown>;
  timeZone: string;
}

/**
 * Build the next-intl configuration for a locale. next-intl passes `requested` when a caller names
 * a locale, as `getTranslations({ locale: "en" })` does, and that locale wins over the request's,
 * which `resolveLocale` returns. Without `requested`, the request's locale applies.
 */
export async function loadRequestConfig(
  requested: string | undefined,
  resolveLocale: () => Promise<Locale>,
): Promise<IntlRequestConfig> {
  const locale = isLocale(requested) ? requested : await resolveLocale();
  return { locale, messages: await loadMessages(locale), timeZone: "UTC" };
}
