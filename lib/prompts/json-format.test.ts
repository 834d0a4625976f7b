import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatJsonDocument } from "./json-format";

const biome = path.join(process.cwd(), "node_modules", ".bin", "biome");

/** Format with the repository's Biome, the formatter the exported files must satisfy. */
function formatWithBiome(text: string): string {
  return execFileSync(biome, ["format", "--stdin-file-path=sample.json"], { input: text, encoding: "utf8" });
}

const samples: Record<string, unknown> = {
  "nested objects": { a: { b: { c: 1 } }, d: {} },
  "short scalar arrays": { names: ["reach", "impact"], empty: [], mixed: [true, null, "x", 1.5] },
  "long string array": { ids: Array.from({ length: 12 }, (_, index) => `element-number-${index}`) },
  "long number array": { values: Array.from({ length: 40 }, (_, index) => index * 1000) },
  "array of objects": [
    { id: "A01", inputs: { reach: 900 }, missing: ["effort"] },
    { id: "A02", inputs: {} },
  ],
  "nested arrays": { pairs: [[1, 2], [3, 4], []], objects: [{}] },
  "array that fits only without its key": {
    a_rather_long_key_name_that_pushes_the_array_over_the_line_width: ["aaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbb"],
  },
  "scalars and text": { text: 'line\nbreak "quoted" é 😀', number: 0.25, nothing: null },
};

describe("formatJsonDocument", () => {
  it.each(Object.entries(samples))("matches Biome for %s", (_case, value) => {
    const formatted = formatJsonDocument(value);

    expect(formatWithBiome(formatted)).toBe(formatted);
  });

  it("round-trips through JSON.parse", () => {
    for (const value of Object.values(samples)) {
      expect(JSON.parse(formatJsonDocument(value))).toEqual(value);
    }
  });
});
