"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useState, useTransition } from "react";
import { setLocale } from "@/app/(app)/actions";
import { type Locale, locales } from "@/lib/i18n/locales";

/** Buttons that switch the UI language; the current one is marked pressed. */
export function LocaleSwitch() {
  const t = useTranslations("shell.userMenu");
  const tLocales = useTranslations("locales");
  const current = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [failed, setFailed] = useState(false);

  function choose(locale: Locale) {
    startTransition(async () => {
      const result = await setLocale({ locale });
      setFailed(!result.ok);
      if (result.ok) router.refresh();
    });
  }

  return (
    <fieldset className="flex flex-col gap-2" disabled={pending}>
      <legend className="text-xs font-medium uppercase tracking-wide text-slate-500">{t("language")}</legend>
      <div className="flex gap-2">
        {locales.map((locale) => (
          <button
            key={locale}
            type="button"
            lang={locale}
            aria-pressed={current === locale}
            onClick={() => choose(locale)}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 aria-pressed:border-indigo-600 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-800"
          >
            {tLocales(locale)}
          </button>
        ))}
      </div>
      {failed ? (
        <p role="alert" className="text-xs text-red-700">
          {t("languageFailed")}
        </p>
      ) : null}
    </fieldset>
  );
}
