import { getTranslations } from "next-intl/server";
import { ErrorPage } from "@/components/shell/error-page";

export default async function NotFound() {
  const t = await getTranslations("errors");
  return <ErrorPage status={404} title={t("notFoundTitle")} body={t("notFoundBody")} backLabel={t("backHome")} />;
}
