import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { DocumentDetails } from "./document-details";

const document = {
  kind: "note" as const,
  language: "fr",
  createdAt: new Date("2026-12-05T10:00:00Z"),
  sourceUrl: "https://example.test/notes",
};

function render(locale: "en" | "fr"): string {
  // createElement's types want `children` among the props, though it is passed as the third argument.
  const config = { locale, timeZone: "UTC", messages: locale === "en" ? en : fr } as unknown as ComponentProps<
    typeof NextIntlClientProvider
  >;
  return renderToStaticMarkup(
    createElement(NextIntlClientProvider, config, createElement(DocumentDetails, { document })),
  );
}

/** Read the text of each `<dt>` term, in order. */
function readTerms(html: string): string[] {
  return [...html.matchAll(/<dt[^>]*>([^<]*)<\/dt>/g)].map((match) => match[1] ?? "");
}

describe("DocumentDetails", () => {
  it("puts a colon after each label in English", () => {
    expect(readTerms(render("en"))).toEqual(["Type:", "Language:", "Added:", "Source:"]);
  });

  it("puts a spaced colon after each label in French", () => {
    expect(readTerms(render("fr"))).toEqual(["Type :", "Langue :", "Ajouté le :", "Source :"]);
  });
});
