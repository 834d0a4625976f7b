"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db";
import { updateUserLocale } from "@/db/queries/users";
import { requireActor } from "@/lib/auth/actor";
import { type ActionResult, runAction } from "@/lib/http/action-result";
import { LOCALE_COOKIE, locales } from "@/lib/i18n/locales";

const setLocaleSchema = z.object({ locale: z.enum(locales) });

/** Cookie lifetime of the language choice: one year, in seconds. */
const LOCALE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

/** Store the signed-in user's UI language, and the cookie that keeps it on the sign-in page too. */
export async function setLocale(input: z.infer<typeof setLocaleSchema>): Promise<ActionResult> {
  return runAction("shell.setLocale", async () => {
    const actor = await requireActor();
    const { locale } = setLocaleSchema.parse(input);

    await updateUserLocale(await getDb(), { userId: actor.userId, locale });
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", maxAge: LOCALE_COOKIE_MAX_AGE, sameSite: "lax" });
    revalidatePath("/", "layout");
    return null;
  });
}
