import { cookies, headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { getRequestConfig } from "next-intl/server";
import { getActor } from "@/lib/auth/actor";
import { logger } from "@/lib/logger";
import { defaultLocale, isLocale, LOCALE_COOKIE, type Locale, negotiateLocale } from "./locales";
import { loadRequestConfig } from "./request-config";

/**
 * Resolve the UI language of a request, without locale segments in URLs: the signed-in user's
 * setting, else the `NEXT_LOCALE` cookie, else the browser's `Accept-Language`, else English.
 */
export async function resolveRequestLocale(): Promise<Locale> {
  const userLocale = await readUserLocale();
  if (userLocale) return userLocale;

  const cookieLocale = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(cookieLocale)) return cookieLocale;

  return negotiateLocale((await headers()).get("accept-language")) ?? defaultLocale;
}

async function readUserLocale(): Promise<Locale | undefined> {
  try {
    const actor = await getActor();
    return isLocale(actor?.locale) ? actor.locale : undefined;
  } catch (error) {
    // Next.js signals with errors, too: a page that reads cookies while `next build` prerenders it
    // is dynamic. Those must reach Next.js and are not failures.
    unstable_rethrow(error);
    // The language is cosmetic: a database hiccup here must not break the page, which reports
    // the failure itself if it needs the database.
    logger.warn({ err: error }, "could not read the user's locale; using the cookie or browser language");
    return undefined;
  }
}

export default getRequestConfig(({ locale }) => loadRequestConfig(locale, resolveRequestLocale));
