import { expect, type Locator, type Page } from "@playwright/test";

/** A demo account from db/seed/demo.ts. */
export interface DemoUser {
  email: string;
  password: string;
  name: string;
}

export const demoUsers = {
  admin: { email: "admin@rankwise.test", password: "rankwise-admin", name: "Ada Admin" },
  editor: { email: "editor@rankwise.test", password: "rankwise-editor", name: "Eli Editor" },
  pm: { email: "pm@rankwise.test", password: "rankwise-pm", name: "Pat PM" },
  viewer: { email: "viewer@rankwise.test", password: "rankwise-viewer", name: "Vic Viewer" },
  outsider: { email: "outsider@rankwise.test", password: "rankwise-outsider", name: "Olive Outsider" },
} satisfies Record<string, DemoUser>;

/** Page object for the sign-in pages and the app shell (navigation, user menu). */
export class RankwiseApp {
  constructor(readonly page: Page) {}

  get mainNav(): Locator {
    return this.page.getByRole("navigation", { name: /^(Main|Principale)$/ });
  }

  get userMenuButton(): Locator {
    return this.page.getByRole("button", { name: /user menu|menu utilisateur/i });
  }

  /** The sign-in form's error (Next.js's route announcer is also an alert, outside `main`). */
  get signInError(): Locator {
    return this.page.getByRole("main").getByRole("alert");
  }

  async gotoSignIn(): Promise<void> {
    await this.page.goto("/signin");
    await expect(this.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }

  /** Fill and submit the sign-in form on the current page; resolves once the server has responded. */
  async submitCredentials(email: string, password: string): Promise<void> {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    const answered = this.page.waitForResponse((response) => response.url().includes("/api/auth/callback/credentials"));
    await this.page.getByRole("button", { name: "Sign in" }).click();
    await answered;
  }

  /** Sign in from the sign-in page and wait for the backlog of the user's first workspace. */
  async signIn(user: DemoUser): Promise<void> {
    await this.gotoSignIn();
    await this.submitCredentials(user.email, user.password);
    await this.page.waitForURL(/\/w\/[0-9a-f-]+\/backlog$/);
    await expect(this.userMenuButton).toContainText(user.name);
  }

  /** Links of the main navigation, by visible name, in order. */
  async navLinkNames(): Promise<string[]> {
    return (await this.mainNav.getByRole("link").allTextContents()).map((text) => text.trim());
  }

  async openUserMenu(): Promise<void> {
    if ((await this.userMenuButton.getAttribute("aria-expanded")) !== "true") await this.userMenuButton.click();
  }

  /** Switch the UI language from the user menu, by the language's own name ("Français"). */
  async switchLanguage(languageName: string): Promise<void> {
    await this.openUserMenu();
    const button = this.page.getByRole("button", { name: languageName });
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
  }

  async signOut(): Promise<void> {
    await this.openUserMenu();
    await this.page.getByRole("link", { name: "Sign out" }).click();
    await expect(this.page.getByRole("heading", { name: "Sign out" })).toBeVisible();
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await this.page.waitForURL(/\/signin\?signedOut=1$/);
  }

  /** Read the workspace id from the current URL (`/w/<id>/…`). */
  currentWorkspaceId(): string {
    const match = /\/w\/([0-9a-f-]+)\//.exec(new URL(this.page.url()).pathname);
    if (!match?.[1]) throw new Error(`not on a workspace page: ${this.page.url()}`);
    return match[1];
  }
}
