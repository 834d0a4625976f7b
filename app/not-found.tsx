import { getTranslations } from "next-intl/server";
import { ErrorPage } from "@/components/shell/error-page";

/** 404 page for URLs that match no route, rendered in the root layout alone, so it provides the `main` element. */
export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <main>
      <ErrorPage status={404} title={t("notFoundTitle")} body={t("notFoundBody")} backLabel={t("backHome")} />
    </main>
  );
}
