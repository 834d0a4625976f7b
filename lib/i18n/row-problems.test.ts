import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { formatProblemNumber, localizeRowProblem, type RowProblemFormatting } from "./row-problems";

// next-intl's default message type when the app declares none, which is how `useTranslations` types the catalogs.
// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

function formattingFor(locale: "en" | "fr", messages: UntypedMessages): RowProblemFormatting {
  const t = createTranslator({ locale, messages, namespace: "serverErrors" });
  const fields = createTranslator({ locale, messages, namespace: "backlog.importFields" });
  return { t, locale, labelInput: (input) => (fields.has(input) ? fields(input) : input) };
}

const english = formattingFor("en", en);
const french = formattingFor("fr", fr);

describe("localizeRowProblem", () => {
  it("words a code with its parameters", () => {
    const problem = {
      code: "external_id_repeated",
      params: { value: "X1", firstRow: 2 },
      message: 'id "X1" already appears in row 2',
    };

    expect(localizeRowProblem(problem, french)).toBe("L’identifiant « X1 » figure déjà à la ligne 2.");
    expect(localizeRowProblem(problem, english)).toBe("Id “X1” already appears in row 2.");
  });

  it("names the input by its label", () => {
    const problem = {
      code: "percent_not_allowed",
      params: { input: "reach", value: "80%" },
      message: 'expected a plain number for reach, got "80%"',
    };

    expect(localizeRowProblem(problem, french)).toBe(
      "Le signe % n’est pas admis pour le champ Portée (valeur lue : « 80% »). Indiquez un nombre simple.",
    );
  });

  it("writes numbers and allowed values in the locale", () => {
    const problem = {
      code: "input_not_in_set",
      params: { input: "impact", value: 1.5, allowed: [0.25, 0.5, 1, 2, 3] },
      message: "expected one of 0.25, 0.5, 1, 2, 3 for impact, got 1.5",
    };

    expect(localizeRowProblem(problem, french)).toBe(
      "La valeur 1,5 n’est pas admise pour le champ Impact. Valeurs possibles : 0,25\u202f; 0,5\u202f; 1\u202f; 2\u202f; 3.",
    );
    expect(localizeRowProblem(problem, english)).toBe("Impact must be one of 0.25, 0.5, 1, 2, 3, got 1.5.");
  });

  it("keeps the English message of an unknown code", () => {
    const problem = { code: "row_too_wide", params: {}, message: "row has 40 cells" };

    expect(localizeRowProblem(problem, french)).toBe("row has 40 cells");
  });

  it("keeps the English message without a code", () => {
    expect(localizeRowProblem({ message: "title is required" }, french)).toBe("title is required");
  });

  it("keeps the English message when a parameter is missing", () => {
    const problem = { code: "item_matched_twice", params: { itemNumber: 3 }, message: "matches item #3" };

    expect(localizeRowProblem(problem, french)).toBe("matches item #3");
  });

  it("keeps the English message when a parameter has the wrong type", () => {
    const problem = {
      code: "input_not_in_range",
      params: { input: "effort", value: null, min: 0.05, max: 1000 },
      message: "expected a number from 0.05 to 1000 for effort, got Infinity",
    };

    expect(localizeRowProblem(problem, french)).toBe("expected a number from 0.05 to 1000 for effort, got Infinity");
  });

  it("writes a huge value in scientific notation", () => {
    const problem = {
      code: "input_not_in_range",
      params: { input: "reach", value: 1e308, min: 0, max: 1e12 },
      message: "expected a number from 0 to 1000000000000 for reach, got 1e308",
    };

    expect(localizeRowProblem(problem, english)).toBe("Reach must be a number from 0 to 1,000,000,000,000, got 1E308.");
    expect(localizeRowProblem(problem, french)).toContain("La valeur 1E308 n’est pas admise");
  });

  it("does not round a tiny value to 0", () => {
    const problem = {
      code: "input_not_in_range",
      params: { input: "effort", value: 0.0000001, min: 0.05, max: 1000 },
      message: "expected a number from 0.05 to 1000 for effort, got 1e-7",
    };

    expect(localizeRowProblem(problem, english)).toContain("got 1E-7.");
    expect(localizeRowProblem(problem, french)).toContain("La valeur 1E-7 ");
  });
});

describe("formatProblemNumber", () => {
  it("keeps small fractions", () => {
    expect(formatProblemNumber(0.000015, "en")).toBe("0.000015");
    expect(formatProblemNumber(1.5, "fr")).toBe("1,5");
  });

  it("groups whole numbers below 1E15", () => {
    expect(formatProblemNumber(123456789, "en")).toBe("123,456,789");
  });

  it("writes numbers past 2^53 to 15 digits", () => {
    // The cell 9007199254740993 parses to this double, whose last digit differs from the cell's.
    expect(formatProblemNumber(Number("9007199254740993"), "en")).toBe("9.00719925474099E15");
  });

  it("keeps zero and negative numbers", () => {
    expect(formatProblemNumber(0, "en")).toBe("0");
    expect(formatProblemNumber(-0.0000001, "en")).toBe("-1E-7");
  });
});
