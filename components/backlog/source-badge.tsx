"use client";

import { useTranslations } from "next-intl";
import type { InputSource } from "@/db/schema";

const tones: Record<InputSource, string> = {
  pm: "border-indigo-200 bg-indigo-50 text-indigo-800",
  ai: "border-violet-200 bg-violet-50 text-violet-800",
  import: "border-slate-200 bg-slate-100 text-slate-700",
};

/** Show where an input value came from: PM, AI or import. */
export function SourceBadge({ source }: { source: InputSource }) {
  const t = useTranslations("backlog.sources");
  return (
    <span
      className={`inline-flex rounded border px-1 text-[10px] font-semibold uppercase leading-4 tracking-wide ${tones[source]}`}
      title={t(`${source}Hint`)}
      data-source={source}
    >
      {t(source)}
    </span>
  );
}
