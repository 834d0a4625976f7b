"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import {
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { type Quadrant, valueEffortAxes } from "@/lib/prioritization/quadrants";
import type { Framework } from "@/lib/prioritization/scales";
import type { ChartPoint, ChartView } from "./backlog-data";
import { useNumberFormat } from "./input-value";

const quadrantColors: Record<Quadrant, string> = {
  quick_win: "#059669",
  big_bet: "#4f46e5",
  fill_in: "#64748b",
  money_pit: "#e11d48",
};

/**
 * Render the value vs effort chart of the ranked items that match the filters, one point per item
 * up to `MAX_CHART_POINTS`, with a note when some items are left out. The legend counts every
 * matching item. The framework's fixed thresholds are lines that cut the four quadrants. The item
 * under the pointer is named below the chart and in the tooltip, and a click opens it.
 */
export function ValueEffortChart({
  framework,
  chart,
  workspaceId,
}: {
  framework: Framework;
  chart: ChartView;
  workspaceId: string;
}) {
  const points = chart.points;
  const t = useTranslations("backlog.chart");
  const tQuadrants = useTranslations("backlog.quadrants");
  const tCommon = useTranslations("common");
  const format = useNumberFormat();
  const router = useRouter();
  const [hovered, setHovered] = useState<ChartPoint | null>(null);
  const axes = valueEffortAxes[framework];

  if (points.length === 0) {
    return (
      <section aria-labelledby="chart-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="chart-heading" className="text-lg font-semibold text-slate-900">
          {t("title")}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t("empty")}</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="chart-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="chart-heading" className="text-lg font-semibold text-slate-900">
        {t("title")}
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        {t(`axes.${framework}`, {
          valueThreshold: format(axes.valueThreshold),
          effortThreshold: format(axes.effortThreshold),
        })}
      </p>
      <ul className="mt-2 flex flex-wrap gap-3 text-xs">
        {(Object.keys(quadrantColors) as Quadrant[]).map((quadrant) => (
          <li key={quadrant} className="flex items-center gap-1">
            <span
              aria-hidden="true"
              className="size-2.5 rounded-full"
              style={{ background: quadrantColors[quadrant] }}
            />
            {tCommon("labelColon", { label: tQuadrants(quadrant) })} {format(chart.quadrantCounts[quadrant])}
          </li>
        ))}
      </ul>
      {points.length < chart.total ? (
        <p className="mt-2 text-xs text-slate-600" data-testid="chart-capped">
          {t("capped", { shown: format(points.length), total: format(chart.total) })}
        </p>
      ) : null}
      <div className="mt-3 h-80" role="img" aria-label={t("label", { count: points.length })}>
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="effort"
              name={t("effort")}
              label={{ value: t("effort"), position: "insideBottom", offset: -15 }}
            />
            <YAxis
              type="number"
              dataKey="value"
              name={t("value")}
              label={{ value: t("value"), angle: -90, position: "insideLeft" }}
            />
            <ReferenceLine x={axes.effortThreshold} stroke="#94a3b8" strokeDasharray="4 4" />
            <ReferenceLine y={axes.valueThreshold} stroke="#94a3b8" strokeDasharray="4 4" />
            <Tooltip
              cursor={{ strokeDasharray: "3 3" }}
              content={({ active, payload }) => {
                const point = active ? (payload?.[0]?.payload as ChartPoint | undefined) : undefined;
                if (!point) return null;
                return (
                  <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs shadow">
                    <p className="font-semibold">
                      {point.itemRef} {point.title}
                    </p>
                    <p>
                      {t("pointDetail", {
                        value: format(point.value),
                        effort: format(point.effort),
                        quadrant: tQuadrants(point.quadrant),
                      })}
                    </p>
                  </div>
                );
              }}
            />
            <Scatter
              data={points}
              onMouseEnter={(entry) => setHovered((entry as { payload?: ChartPoint }).payload ?? null)}
              onMouseLeave={() => setHovered(null)}
              onClick={(entry) => {
                const point = (entry as { payload?: ChartPoint }).payload;
                if (point) router.push(`/w/${workspaceId}/backlog/items/${point.id}`);
              }}
            >
              {points.map((point) => (
                <Cell key={point.id} fill={quadrantColors[point.quadrant]} cursor="pointer" />
              ))}
            </Scatter>
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <p aria-live="polite" className="mt-2 min-h-5 text-sm text-slate-700" data-testid="chart-hovered">
        {hovered
          ? t("hovered", {
              item: `${hovered.itemRef} ${hovered.title}`,
              quadrant: tQuadrants(hovered.quadrant),
              value: format(hovered.value),
              effort: format(hovered.effort),
            })
          : t("hoverHint")}
      </p>
    </section>
  );
}
