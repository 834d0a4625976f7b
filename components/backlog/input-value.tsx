"use client";

import { useFormatter } from "next-intl";

/** Format an input value or score: at most two decimals, grouped thousands. */
export function useNumberFormat(): (value: number) => string {
  const format = useFormatter();
  return (value) => format.number(value, { maximumFractionDigits: 2 });
}
