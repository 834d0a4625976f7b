/**
 * Maximum number of points the value vs effort chart receives. A point adds about 200 bytes of page
 * payload with an 80-character title, and recharts draws one SVG element per point, so the cap
 * keeps the chart near 100 KB and 500 elements whatever the size of the backlog.
 */
export const MAX_CHART_POINTS = 500;

/**
 * Choose the items the chart draws, at most `max`. Every item whose id is in `keep` is chosen
 * first (the best-ranked `max` of them if there are more), and the best-ranked other items fill
 * the remaining places. `items` must be in rank order, and the result keeps that order. A list of
 * `max` items or fewer comes back whole.
 */
export function selectChartItems<T>(
  items: readonly T[],
  options: { idOf: (item: T) => string; keep: ReadonlySet<string>; max: number },
): T[] {
  const { idOf, keep, max } = options;
  if (!Number.isInteger(max) || max < 0) throw new RangeError(`max must be a non-negative integer, got ${max}`);
  if (items.length <= max) return [...items];

  let keptCount = 0;
  for (const item of items) if (keep.has(idOf(item))) keptCount += 1;
  let keepPlaces = Math.min(keptCount, max);
  let otherPlaces = max - keepPlaces;

  const chosen: T[] = [];
  for (const item of items) {
    if (keep.has(idOf(item))) {
      if (keepPlaces > 0) {
        chosen.push(item);
        keepPlaces -= 1;
      }
    } else if (otherPlaces > 0) {
      chosen.push(item);
      otherPlaces -= 1;
    }
    if (keepPlaces === 0 && otherPlaces === 0) break;
  }
  return chosen;
}
