import { describe, expect, it } from "vitest";
import { readHeading, segmentText } from "./segments";

const headingPattern = /^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$/;

describe("readHeading", () => {
  it("reads headings like the heading pattern", () => {
    const prefixes = ["", "#", "# ", "  ##", "####### ", "    # "];
    const alphabet = [" ", "#", "a", "\r", "\t", "\u2028", "b", "\u00a0"];
    let state = 11;
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (let sample = 0; sample < 20_000; sample++) {
      let line = prefixes[Math.floor(random() * prefixes.length)] as string;
      const length = Math.floor(random() * 10);
      for (let index = 0; index < length; index++) line += alphabet[Math.floor(random() * alphabet.length)];
      expect(readHeading(line), JSON.stringify(line)).toBe(line.match(headingPattern)?.[2]?.trim());
    }
  });

  it("strips closing hashes", () => {
    expect(readHeading("## Exports ##")).toBe("Exports");
    expect(readHeading("#Exports")).toBeUndefined();
  });
});

describe("segmentText", () => {
  it("finds the sentences of one segmenter pass", () => {
    const sentences = [
      "Customers export dashboards every week.",
      "Dr. Smith asked for PDF exports, e.g. for finance.",
      "Is it ready?",
      "Yes!",
      "The U.S. team uses CSV files.",
      "中文句子。",
      "Version 2.5 ships soon...",
    ];
    const content = Array.from({ length: 600 }, (_, index) => sentences[index % sentences.length]).join(" ");
    const expected = Array.from(new Intl.Segmenter("en", { granularity: "sentence" }).segment(content), (part) =>
      part.segment.trim(),
    );

    const segments = segmentText(content);

    expect(segments.map((segment) => content.slice(segment.start, segment.end))).toEqual(expected);
  });

  it("segments a 1 MB paragraph of tiny sentences", { timeout: 30_000 }, () => {
    const content = "A b. ".repeat(200_000).trim();
    const segments = segmentText(content);

    expect(segments).toHaveLength(200_000);
    expect(segments.at(-1)?.end).toBe(content.length);
  });
});
