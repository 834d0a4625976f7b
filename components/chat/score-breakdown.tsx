import { useFormatter, useTranslations } from "next-intl";
import { SourceBadge } from "@/components/backlog/source-badge";
import type { ItemBreakdown } from "@/lib/chat/breakdown";

/**
 * The score breakdown of the items an Explain button asked about, with the input names, source
 * badges and number format of the backlog's item page.
 */
export function ScoreBreakdown({ items }: { items: ItemBreakdown[] }) {
  const t = useTranslations("chat");
  const tBacklog = useTranslations("backlog");
  const format = useFormatter();
  const formatNumber = (value: number) => format.number(value, { maximumFractionDigits: 2 });
  if (items.length === 0) return null;
  return (
    <section aria-label={t("breakdownTitle")} className="rounded-md border border-slate-200 bg-white p-3">
      <h2 className="mb-2 text-sm font-semibold text-slate-900">{t("breakdownTitle")}</h2>
      <ul className="flex flex-col gap-3">
        {items.map((item) => (
          <li key={item.ref} className="text-sm">
            <p className="font-medium text-slate-900">
              {item.rank === null ? t("breakdownUnranked") : t("breakdownRank", { rank: item.rank })} · {item.ref} ·{" "}
              {item.title}
            </p>
            {item.score !== null ? (
              <p className="text-slate-700">
                {t("breakdownScore", {
                  framework: tBacklog(`frameworkNames.${item.framework}`),
                  score: formatNumber(item.score),
                })}
              </p>
            ) : null}
            <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
              {item.inputs.map((input) => (
                <div key={input.name} className="flex items-center gap-1">
                  <dt>{tBacklog(`inputs.${input.name}`)}</dt>
                  <dd className="flex items-center gap-1 font-medium text-slate-900">
                    {formatNumber(input.value)} <SourceBadge source={input.source} />
                  </dd>
                </div>
              ))}
            </dl>
            {item.missing.length > 0 ? (
              <p className="text-xs text-amber-800">
                {t("breakdownMissing", {
                  inputs: item.missing.map((name) => tBacklog(`inputs.${name}`)).join(", "),
                })}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
