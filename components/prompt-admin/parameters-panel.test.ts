import { NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { ParametersPanel } from "./parameters-panel";

function render(locale: "en" | "fr"): string {
  // createElement's types want `children` among the props, though it is passed as the third argument.
  const config = { locale, timeZone: "UTC", messages: locale === "en" ? en : fr } as unknown as ComponentProps<
    typeof NextIntlClientProvider
  >;
  const panel = createElement(ParametersPanel, {
    value: { preset: "analytical", overrides: {} },
    onChange: () => {},
    readOnly: true,
  });
  return renderToStaticMarkup(createElement(NextIntlClientProvider, config, panel));
}

describe("ParametersPanel", () => {
  it("writes preset ranges with decimal commas in French", () => {
    const html = render("fr");

    expect(html).toContain("Le préréglage permet de 0,3 à 0,5 ; vide utilise 0,4.");
    expect(html).toContain("Le préréglage permet de 0,5 à 0,7 ; vide utilise 0,6.");
  });

  it("writes preset ranges with decimal points in English", () => {
    expect(render("en")).toContain("The preset allows 0.3 to 0.5; empty uses 0.4.");
  });

  it("shows the preset value as a French placeholder", () => {
    expect(render("fr")).toContain('placeholder="0,4"');
  });
});
