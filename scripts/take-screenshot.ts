/**
 * Retake `docs/screenshot.png`, the README's picture: sign in as the demo product manager on a
 * running Rankwise (default http://localhost:3000, the host `next dev` serves its scripts to, or the URL given as first argument) and
 * capture the backlog at 1280×720. Start the app with the demo first, for example `npm run dev`.
 * Uses PLAYWRIGHT_CHROMIUM_PATH, else /usr/bin/chromium.
 */
import fs from "node:fs";
import { chromium } from "@playwright/test";
import { CHROMIUM_ARGS } from "../e2e/support/chromium-args";

const baseUrl = process.argv[2] ?? "http://localhost:3000";
const output = "docs/screenshot.png";
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";

if (!fs.existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}. Install it with \`apt-get install -y chromium\`.`);
  process.exit(1);
}

const browser = await chromium.launch({
  executablePath,
  args: CHROMIUM_ARGS,
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: "en-US" });
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel("Email").fill("pm@rankwise.test");
  await page.getByLabel("Password").fill("rankwise-pm");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/w\/[0-9a-f-]+\/backlog/);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: output });
  console.log(`wrote ${output} from ${page.url()}`);
} finally {
  await browser.close();
}
