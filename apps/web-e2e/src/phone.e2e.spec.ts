// The page.evaluate() callbacks run in the browser.
/// <reference lib="dom" />
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { appAndBrowserPerSuite, browserSuite, expectAccessible, newContext, RunningApp, screenshot, signIn } from './harness';

/**
 * The web UI on a phone (390 × 844, touch), decision 0037: "Heute" as the start page of
 * caseworkers and the Fachstelle, each entry opening the case at its form; every screen of every
 * role without scrolling sideways; touch targets of at least 44 px; German dates whatever the
 * browser's locale. Screenshots of both sizes go to docs/ui/ (linked from docs/ui.md).
 */
let app: RunningApp;
let browser: Browser;

/** A phone whose browser speaks English: the dates must still read TT.MM.JJJJ. */
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'en-US' };

const todayIso = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const german = (iso: string) => iso.split('-').reverse().join('.');

/** The page does not scroll sideways (WCAG 1.4.10): its content is no wider than the window. */
async function expectNoSidewaysScroll(page: Page, screen: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect({ screen, clientWidth, tooWide: Math.max(0, scrollWidth - clientWidth) }).toEqual({ screen, clientWidth: 390, tooWide: 0 });
}

/** Buttons, fields, checkable labels, navigation and card links are at least 44 px high (WCAG 2.5.5). */
async function expectTouchTargets(page: Page, screen: string): Promise<void> {
  const small = await page.evaluate(() =>
    // Array.from: the e2e files compile without the DOM's iterables.
    Array.from(
      document.querySelectorAll<HTMLElement>(
        'button, select, textarea, input:not([type="checkbox"]):not([type="radio"]), label.check, nav a, .agenda-list a, table.cards th a',
      ),
    )
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => el.getBoundingClientRect().height < 44)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().height)}px`,
      ),
  );
  expect({ screen, small }).toEqual({ screen, small: [] });
}

const fitsThePhone = async (page: Page, screen: string) => {
  await expectNoSidewaysScroll(page, screen);
  await expectTouchTargets(page, screen);
};

/** A case of anna's approved `ago` days back, its visits every `interval` days, its help planned to end in `endsIn` days. */
async function caseOfAnna(name: string, { ago, interval, endsIn }: { ago: number; interval: number; endsIn: number }): Promise<string> {
  const anna = await app.token('anna', 'caseworker');
  const fs = await app.token('fs-1', 'fachstelle');
  const today = todayIso();
  const created = await app.post('/api/cases', anna, {
    receivedOn: addDays(today, -ago - 5),
    referralSource: 'asd',
    targetGroup: 'recommitted',
    housingSituation: 'seized_flat',
    adults: 1,
    children: 1,
    existingAid: [],
    consentGiven: true,
    household: { name, address: 'Keupstraße 10, 51063 Köln' },
  });
  expect(created.status).toBe(201);
  const caseId = created.body.caseId as string;
  const approved = await app.post(`/api/cases/${caseId}/approval`, fs, {
    approvedOn: addDays(today, -ago),
    assignedCaseworkerId: 'anna',
    visitIntervalDays: interval,
    plannedEndOn: addDays(today, endsIn),
  });
  expect(approved.status).toBe(200);
  return caseId;
}

let overdueAndEnding: string;
let overdueAndOverrun: string;
let waiting: string;

browserSuite()('web UI on a phone', () => {
  appAndBrowserPerSuite(async (started, launched) => {
    app = started;
    browser = launched;
    overdueAndEnding = await caseOfAnna('Familie Aydın', { ago: 45, interval: 14, endsIn: 10 });
    overdueAndOverrun = await caseOfAnna('Familie Berger', { ago: 70, interval: 28, endsIn: -3 });
    const created = await app.post('/api/cases', await app.token('fs-1', 'fachstelle'), {
      receivedOn: addDays(todayIso(), -6),
      referralSource: 'jobcenter',
      targetGroup: 'prevention_aftercare',
      housingSituation: 'own_tenancy_at_risk',
      adults: 2,
      children: 0,
      existingAid: [],
      consentGiven: true,
      household: { name: 'Familie Çelik', address: 'Venloer Straße 300, 50823 Köln' },
    });
    waiting = created.body.caseId as string;
  });

  it("starts a caseworker's day with Heute and opens a case from it at the home-visit form", async () => {
    const page = await (await newContext(browser, PHONE)).newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.getByLabel('Benutzerkennung').waitFor();
    await fitsThePhone(page, 'sign-in');
    await signIn(page, app.baseUrl, 'anna', 'Fachkraft (SKM)');
    await page.getByRole('heading', { name: 'Heute', level: 1 }).waitFor();
    // The first read of a fresh app waits for its projection thread: allow for a loaded machine.
    await page.getByRole('heading', { name: 'Überfällige Hausbesuche (2)' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('main').textContent()).toContain(`Stand: ${german(todayIso())}`);
    const overdue = page.getByRole('region', { name: /Überfällige Hausbesuche/ }).getByRole('link');
    // The longest overdue first: Berger's visit was due 42 days ago, Aydın's 31.
    expect(await overdue.allTextContents()).toEqual([
      `Familie Bergerseit 42 Tagen überfällig (fällig am ${german(addDays(todayIso(), -42))})`,
      `Familie Aydınseit 31 Tagen überfällig (fällig am ${german(addDays(todayIso(), -31))})`,
    ]);
    await page
      .getByRole('region', { name: /überschritten/ })
      .getByText('seit 3 Tagen überschritten', { exact: false })
      .waitFor();
    await page
      .getByRole('region', { name: /endet bald/ })
      .getByText('endet in 10 Tagen', { exact: false })
      .waitFor();
    expect(await page.locator('main').textContent()).not.toContain('Çelik'); // a referral waits for the Fachstelle
    await fitsThePhone(page, 'Heute (caseworker)');
    await expectAccessible(page, 'Heute (phone)');
    await screenshot(page, '15-heute-telefon');

    await overdue.filter({ hasText: 'Familie Aydın' }).tap();
    await page.waitForURL(`**/faelle/${overdueAndEnding}#besuch`);
    const form = page.getByRole('form', { name: 'Hausbesuch erfassen' });
    await form.waitFor();
    // Opened from Heute, the form has the focus at its first field: a date input keeps its ISO value.
    await page.locator('#visit-visitedOn:focus').waitFor();
    expect(await page.locator('#visit-visitedOn').inputValue()).toBe(todayIso());
    expect(await page.locator('dl.facts').textContent()).toContain(german(addDays(todayIso(), -45))); // approved on, in German
    await form.getByRole('group', { name: 'Haushalt angetroffen?' }).getByRole('radio', { name: 'Ja' }).tap();
    await fitsThePhone(page, 'case page with the visit form');
    await expectAccessible(page, 'visit form (phone)');
    await screenshot(page, '17-hausbesuch-telefon');
    await form.getByRole('button', { name: 'Hausbesuch speichern' }).tap();
    await page.getByText('Gespeichert. Die Anzeige ist aktuell.').waitFor();

    // Done: back on Heute, Aydın's visit is no longer overdue.
    await page.getByRole('link', { name: 'Heute', exact: true }).tap();
    await page.getByRole('heading', { name: 'Überfällige Hausbesuche (1)' }).waitFor();

    await page.getByRole('link', { name: 'Meine Fälle' }).tap();
    const row = page.getByRole('row', { name: /Familie Berger/ });
    await row.waitFor();
    // Narrow: one card per case; the column names are beside the values, the table's header is hidden.
    expect((await page.locator('table.cards thead').boundingBox())?.height).toBeLessThanOrEqual(1);
    expect(await row.textContent()).toContain('Geplantes Ende:');
    expect(
      await row
        .getByRole('cell')
        .first()
        .evaluate((cell) => getComputedStyle(cell).display),
    ).toBe('block');
    await fitsThePhone(page, 'Meine Fälle');
    await expectAccessible(page, 'Meine Fälle (phone)');
    await screenshot(page, '18-meine-faelle-telefon');

    await page.getByRole('link', { name: 'Aufnahme' }).tap();
    await page.getByLabel('Zugangsweg').waitFor();
    await fitsThePhone(page, 'Aufnahme');
    await page.getByRole('button', { name: 'Anfrage aufnehmen' }).tap();
    await page.locator('.error-summary:focus').waitFor();
    await fitsThePhone(page, 'Aufnahme with problems');

    await page.goto(`${app.baseUrl}/faelle/${overdueAndOverrun}#abschluss`);
    await page.getByRole('form', { name: 'Hilfe beenden' }).waitFor();
    await fitsThePhone(page, 'case page with the closure form');
  }, 120_000);

  it("shows the Fachstelle's Heute with the referrals waiting, each opening its form", async () => {
    const page = await (await newContext(browser, PHONE)).newPage();
    await signIn(page, app.baseUrl, 'fs-1', 'Fachstelle Wohnen');
    const referrals = page.getByRole('region', { name: /Anfragen warten/ });
    await referrals.getByRole('link', { name: /Familie Çelik/ }).waitFor({ timeout: 60_000 });
    expect(await referrals.getByRole('link').first().textContent()).toBe(
      `Familie Çelikwartet seit 6 Tagen (Eingang ${german(addDays(todayIso(), -6))})noch keine Fachkraft`,
    );
    expect(await page.getByRole('region', { name: /endet bald/ }).textContent()).toContain('Fachkraft: anna');
    await fitsThePhone(page, 'Heute (Fachstelle)');
    await expectAccessible(page, 'Heute of the Fachstelle (phone)');
    await screenshot(page, '19-fachstelle-heute-telefon');

    await referrals.getByRole('link', { name: /Familie Çelik/ }).tap();
    await page.waitForURL(`**/faelle/${waiting}#bewilligung`);
    await page.getByRole('form', { name: 'Bewilligen' }).waitFor();
    await fitsThePhone(page, 'approval form');

    await page.goto(`${app.baseUrl}/heute`);
    await page
      .getByRole('region', { name: /überschritten/ })
      .getByRole('link', { name: /Familie Berger/ })
      .tap();
    await page.waitForURL(`**/faelle/${overdueAndOverrun}#verlaengerung`);
    await page.getByRole('form', { name: 'Verlängern' }).waitFor();
    await fitsThePhone(page, 'extension form');

    await page.getByRole('link', { name: 'Anfragen', exact: true }).tap();
    await page.getByRole('row', { name: /Familie Çelik/ }).waitFor();
    await fitsThePhone(page, 'Anfragen');
    await page.getByRole('link', { name: 'Alle Fälle' }).tap();
    await page.getByRole('row', { name: /Familie Berger.*anna/ }).waitFor();
    await fitsThePhone(page, 'Alle Fälle');
    await expectAccessible(page, 'Alle Fälle (phone)');
  }, 120_000);

  it('fits the evaluator and the admin screens on the phone', async () => {
    const evaluator = await (await newContext(browser, PHONE)).newPage();
    await signIn(evaluator, app.baseUrl, 'eva', 'Auswertung');
    await fitsThePhone(evaluator, 'Auswertung');
    // The dashboard comes first (dashboard.e2e.spec.ts checks it on the phone); the period tables are the second screen.
    await evaluator.getByRole('link', { name: 'Detailtabellen' }).tap();
    await evaluator.getByRole('button', { name: 'Anzeigen', exact: true }).tap();
    await evaluator.getByRole('heading', { name: 'Alle Haushalte' }).waitFor({ timeout: 60_000 });
    await expectNoSidewaysScroll(evaluator, 'Auswertung with figures');

    const admin = await (await newContext(browser, PHONE)).newPage();
    await signIn(admin, app.baseUrl, 'adm', 'Betrieb');
    await admin.getByRole('row', { name: /^cases/ }).waitFor();
    await expectNoSidewaysScroll(admin, 'Betrieb');
    await admin.getByLabel('Haushalts-ID').fill('0b7f6c8e-1111-4222-8333-444455556666');
    await admin.getByRole('button', { name: 'Löschen …' }).tap();
    await admin.getByRole('dialog', { name: 'Wirklich unwiderruflich löschen?' }).waitFor();
    await expectNoSidewaysScroll(admin, 'erasure confirmation');
    await admin.getByRole('button', { name: 'Abbrechen' }).tap();
  }, 120_000);

  it('works on a wide screen with the keyboard alone: Heute, then the case at its form', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, app.baseUrl, 'anna', 'Fachkraft (SKM)');
    await page.getByRole('heading', { name: /Überfällige Hausbesuche/ }).waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'Heute (wide)');
    await screenshot(page, '16-heute-breit');
    // After the sign-in the page's heading has the focus; the next stop is the first entry.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Familie Bergerseit 42 Tagen überfällig/);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/faelle/${overdueAndOverrun}#besuch`);
    await page.locator('#visit-visitedOn:focus').waitFor();
  }, 120_000);
});
