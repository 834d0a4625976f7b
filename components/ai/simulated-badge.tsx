import { getTranslations } from "next-intl/server";
import { getModelInfo } from "@/lib/ai";

/**
 * "Simulated model" badge for every AI surface (chat, prioritization runs, prompt tests). Renders
 * nothing when a real provider is configured, so pages can place it unconditionally.
 */
export async function SimulatedBadge({ className = "" }: { className?: string }) {
  if (!getModelInfo().simulated) return null;
  const t = await getTranslations("ai");

  return (
    <span
      title={t("simulatedBadgeHint")}
      data-testid="simulated-model-badge"
      className={`inline-flex items-center rounded-full border border-amber-300 bg-amber-50 px-2.5 py-0.5 text-xs font-medium text-amber-800 ${className}`}
    >
      {t("simulatedBadge")}
    </span>
  );
}
