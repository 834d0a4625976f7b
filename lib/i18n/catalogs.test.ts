import { describe, expect, it } from "vitest";
import { rowProblemCodes, rowProblemParams } from "@/lib/backlog/csv-row-problems";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { compareCatalogs, extractPlaceholders, extractTags, flattenCatalog } from "./catalog-check";

describe("message catalogs", () => {
  it("fr has exactly the keys of en, none empty", () => {
    expect(compareCatalogs(en, fr)).toEqual([]);
  });

  it("en has exactly the keys of fr, none empty", () => {
    expect(compareCatalogs(fr, en)).toEqual([]);
  });
});

describe("row problem messages", () => {
  const catalogs = { en: flattenCatalog(en), fr: flattenCatalog(fr) };

  it.each(rowProblemCodes)("%s takes the code's parameters in en and fr", (code) => {
    const expected = [...rowProblemParams[code]].sort();
    for (const [locale, catalog] of Object.entries(catalogs)) {
      const text = catalog.get(`serverErrors.rowProblems.${code}`);

      expect(typeof text, `${locale} has no entry`).toBe("string");
      expect(extractPlaceholders(String(text)), locale).toEqual(expected);
    }
  });

  it("has no entry for an unknown code", () => {
    const codes = new Set<string>(rowProblemCodes);
    const stale = Object.keys(en.serverErrors.rowProblems).filter((code) => !codes.has(code));

    expect(stale).toEqual([]);
  });
});

describe("compareCatalogs", () => {
  it("reports a key missing from the translation", () => {
    const problems = compareCatalogs({ nav: { backlog: "Backlog", runs: "Runs" } }, { nav: { backlog: "Backlog" } });

    expect(problems).toEqual([{ key: "nav.runs", problem: "missing" }]);
  });

  it("reports a key only the translation has", () => {
    const problems = compareCatalogs({ nav: { backlog: "Backlog" } }, { nav: { backlog: "Backlog", extra: "x" } });

    expect(problems).toEqual([{ key: "nav.extra", problem: "extra" }]);
  });

  it("reports an empty value", () => {
    const problems = compareCatalogs({ common: { title: "Title" } }, { common: { title: "  " } });

    expect(problems).toEqual([{ key: "common.title", problem: "empty" }]);
  });

  it("reports a namespace replaced by a string", () => {
    const problems = compareCatalogs({ auth: { title: "Sign in" } }, { auth: "Connexion" });

    expect(problems).toContainEqual({ key: "auth", problem: "extra" });
    expect(problems).toContainEqual({ key: "auth.title", problem: "missing" });
  });

  it("reports different ICU arguments", () => {
    const problems = compareCatalogs({ a: "Items of {workspace}" }, { a: "Éléments de {espace}" });

    expect(problems).toEqual([
      { key: "a", problem: "placeholders_differ", detail: "expected {workspace}, found {espace}" },
    ]);
  });
});

describe("compareCatalogs tags", () => {
  it("reports a rich-text tag missing from the translation", () => {
    const problems = compareCatalogs({ a: "Role: <value>{role}</value>" }, { a: "Rôle : {role}" });

    expect(problems).toEqual([{ key: "a", problem: "tags_differ", detail: "expected <value>, found <>" }]);
  });
});

describe("extractTags", () => {
  it("finds each opening tag once", () => {
    expect(extractTags("<b>{count}</b> of <link>all</link> <b>x</b>")).toEqual(["b", "link"]);
  });
});

describe("flattenCatalog", () => {
  it("joins nested keys with dots", () => {
    expect([...flattenCatalog({ a: { b: { c: "x" } }, d: "y" }).keys()]).toEqual(["a.b.c", "d"]);
  });
});

describe("extractPlaceholders", () => {
  it("finds plain and plural arguments once each", () => {
    expect(extractPlaceholders("{count, plural, one {# item} other {# items}} in {workspace} ({count})")).toEqual([
      "count",
      "workspace",
    ]);
  });

  it("skips plural branch text", () => {
    expect(extractPlaceholders("{count, plural, one {The last run} other {The # last runs}} of {workspace}")).toEqual([
      "count",
      "workspace",
    ]);
  });
});
