// The page.evaluate() callbacks run in the browser.
/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { appAndBrowserPerSuite, browserSuite, expectAccessible, newContext, RunningApp, screenshot, signIn } from './harness';

/**
 * The web UI in Chromium against the built API on a temporary embedded store: what each role
 * does, the 412 flow, need-to-know, downloads, a rebuild, keyboard use and axe on every screen.
 * Screenshots go to docs/ui/ (linked from docs/ui.md).
 */
let app: RunningApp;
let browser: Browser;

const year = () => new Date().getFullYear();
const facts = (page: Page) => page.locator('dl.facts');
/** The case detail and the timeline are read side by side after a command: wait for the detail as well. */
const factsShow = (page: Page, text: string) => facts(page).getByText(text, { exact: true }).first().waitFor();
const textOf = async (page: Page, selector: string) => (await page.locator(selector).first().textContent()) ?? '';

browserSuite()('web UI in the browser', () => {
  appAndBrowserPerSuite((started, launched) => {
    app = started;
    browser = launched;
  });

  it('takes a referral through approval, a visit, housing secured and closure', async () => {
    const caseworker = await (await newContext(browser)).newPage();
    await caseworker.goto(`${app.baseUrl}/`);
    await caseworker.getByLabel('Benutzerkennung').waitFor();
    await expectAccessible(caseworker, 'sign-in');
    await screenshot(caseworker, '01-anmelden');
    await signIn(caseworker, app.baseUrl, 'anna', 'Fachkraft (SKM)');

    await caseworker.getByRole('link', { name: 'Aufnahme' }).click();
    await caseworker.getByLabel('Name des Haushalts').fill('Familie Yilmaz');
    await caseworker.getByLabel('Anschrift').fill('Venloer Straße 1, 50672 Köln');
    await caseworker.getByLabel('Erwachsene').fill('2');
    await caseworker.getByLabel('Kinder').fill('2');
    await caseworker.getByLabel('Zugangsweg').selectOption('jobcenter');
    await caseworker.getByLabel('Zielgruppe').selectOption('prevention_aftercare');
    await caseworker.getByLabel('Wohnsituation').selectOption('own_tenancy_at_risk');
    await caseworker.getByRole('checkbox', { name: 'Mietschulden' }).check();
    await caseworker.getByRole('checkbox', { name: /Einwilligung liegt vor/ }).check();
    await expectAccessible(caseworker, 'intake');
    await screenshot(caseworker, '02-aufnahme');
    await caseworker.getByRole('button', { name: 'Anfrage aufnehmen' }).click();
    // The first case read of a fresh app waits for its projection threads to start: slow on a loaded machine.
    await caseworker.getByRole('heading', { name: 'Fall: Familie Yilmaz' }).waitFor({ timeout: 60_000 });
    expect(await facts(caseworker).textContent()).toContain('Angefragt');
    await expectAccessible(caseworker, 'case (referred)');
    const caseUrl = caseworker.url().split('?')[0];

    const fachstelle = await (await newContext(browser)).newPage();
    await signIn(fachstelle, app.baseUrl, 'fs-1', 'Fachstelle Wohnen');
    await fachstelle.getByRole('heading', { name: 'Heute', exact: true }).waitFor();
    await fachstelle.getByRole('link', { name: 'Anfragen', exact: true }).click();
    await fachstelle.getByRole('heading', { name: 'Anfragen zur Entscheidung' }).waitFor();
    await fachstelle.getByRole('link', { name: 'Familie Yilmaz' }).waitFor();
    await expectAccessible(fachstelle, 'queue');
    await screenshot(fachstelle, '03-fachstelle-anfragen');
    await fachstelle.getByRole('link', { name: 'Familie Yilmaz' }).click();
    await fachstelle.getByRole('button', { name: 'Bewilligen …' }).click();
    await fachstelle.getByLabel('Zuständige Fachkraft').fill('anna');
    await expectAccessible(fachstelle, 'approval form');
    await screenshot(fachstelle, '04-bewilligung');
    await fachstelle.getByRole('button', { name: 'Hilfe bewilligen' }).click();
    await fachstelle.getByText('Gespeichert. Die Anzeige ist aktuell.').waitFor();
    expect(await facts(fachstelle).textContent()).toContain('Laufende Hilfe');
    await fachstelle.getByRole('link', { name: 'Alle Fälle' }).click();
    await fachstelle.getByLabel('Fachkraft').fill('anna');
    await fachstelle.getByRole('button', { name: 'Anwenden' }).click();
    await fachstelle.getByRole('row', { name: /Familie Yilmaz.*Laufende Hilfe.*anna/ }).waitFor();
    await expectAccessible(fachstelle, 'all cases');
    await screenshot(fachstelle, '14-fachstelle-alle-faelle');

    await caseworker.getByRole('link', { name: 'Meine Fälle' }).click();
    await caseworker.getByRole('link', { name: 'Familie Yilmaz' }).waitFor();
    await expectAccessible(caseworker, 'caseload');
    await screenshot(caseworker, '05-meine-faelle');
    await caseworker.goto(caseUrl);
    await caseworker.getByRole('button', { name: 'Hausbesuch erfassen …' }).click();
    await caseworker.getByRole('group', { name: 'Haushalt angetroffen?' }).getByRole('radio', { name: 'Ja' }).check();
    await caseworker.getByRole('checkbox', { name: 'Mietverhältnis' }).check();
    await expectAccessible(caseworker, 'visit form');
    await screenshot(caseworker, '06-hausbesuch');
    // A double click is one submission: one Idempotency-Key, one visit.
    await caseworker.getByRole('button', { name: 'Hausbesuch speichern' }).dblclick();
    await caseworker.getByText('Gespeichert. Die Anzeige ist aktuell.').waitFor();
    // The form is gone; the keyboard continues at the confirmation, not at the top of the page.
    expect(await caseworker.evaluate(() => document.activeElement?.textContent)).toBe('Gespeichert. Die Anzeige ist aktuell.');
    await caseworker.locator('ol.timeline').getByText('Hausbesuch', { exact: true }).waitFor();
    await factsShow(caseworker, '1 / 0');
    expect(await facts(caseworker).textContent()).toContain('1 / 0');

    await caseworker.getByRole('button', { name: 'Vermittlung erfassen …' }).click();
    await caseworker.getByRole('button', { name: 'Abbrechen' }).click();
    expect(await caseworker.evaluate(() => document.activeElement?.textContent)).toBe('Vermittlung erfassen …');
    await caseworker.getByRole('button', { name: 'Wohnraum gesichert …' }).click();
    await caseworker.getByLabel('Ergebnis').selectOption('tenancy_preserved');
    await caseworker.getByRole('button', { name: 'Wohnraum gesichert speichern' }).click();
    await caseworker.locator('ol.timeline').getByText('Wohnraum gesichert', { exact: true }).waitFor();

    await caseworker.getByRole('button', { name: 'Hilfe beenden …' }).click();
    await caseworker.getByLabel('Grund der Beendigung').selectOption('goal_achieved');
    await caseworker.getByLabel('Wohnsituation bei Beendigung').selectOption('own_tenancy');
    await caseworker.getByRole('button', { name: 'Hilfe beenden', exact: true }).click();
    await caseworker.locator('ol.timeline').getByText('Hilfe beendet', { exact: true }).waitFor();
    await factsShow(caseworker, 'Beendet');
    expect(await facts(caseworker).textContent()).toContain('Beendet');
    expect(await textOf(caseworker, 'ol.timeline')).toMatch(
      /Hilfe beendet.*Wohnraum gesichert.*Hausbesuch.*Hilfe bewilligt.*Anfrage aufgenommen/s,
    );
    await expectAccessible(caseworker, 'case (closed)');
    await screenshot(caseworker, '07-fall-beendet');
  }, 120_000);

  it('says when the case changed meanwhile (412), shows the new state and keeps what was typed', async () => {
    const caseId = (await app.activeCaseOfAnna('Haushalt Konflikt')).caseId;
    const first = await (await newContext(browser)).newPage();
    const second = await (await newContext(browser)).newPage();
    for (const page of [first, second]) {
      await signIn(page, app.baseUrl, 'anna', 'Fachkraft (SKM)');
      await page.goto(`${app.baseUrl}/faelle/${caseId}`);
      await page.getByRole('button', { name: 'Hausbesuch erfassen …' }).click();
    }
    await first.getByRole('group', { name: 'Haushalt angetroffen?' }).getByRole('radio', { name: 'Ja' }).check();
    await first.getByRole('button', { name: 'Hausbesuch speichern' }).click();
    await first.getByText('Gespeichert. Die Anzeige ist aktuell.').waitFor();

    await second.getByRole('group', { name: 'Haushalt angetroffen?' }).getByRole('radio', { name: 'Nein' }).check();
    await second.getByLabel('Notizen').fill('Niemand geöffnet, Karte eingeworfen');
    await second.getByRole('button', { name: 'Hausbesuch speichern' }).click();
    await second.getByRole('alert').filter({ hasText: 'inzwischen geändert' }).waitFor();
    await facts(second).getByText('1 / 0').waitFor(); // the new state: the other visit
    expect(await second.getByLabel('Notizen').inputValue()).toBe('Niemand geöffnet, Karte eingeworfen');
    expect(await second.getByRole('radio', { name: 'Nein' }).isChecked()).toBe(true);
    await expectAccessible(second, 'stale revision');
    await screenshot(second, '08-konflikt-412');

    await second.getByRole('button', { name: 'Hausbesuch speichern' }).click();
    await second.getByText('Gespeichert. Die Anzeige ist aktuell.').waitFor();
    await facts(second).getByText('2 / 0').waitFor();
  }, 90_000);

  it("does not show a caseworker another caseworker's case", async () => {
    const caseId = (await app.activeCaseOfAnna('Haushalt Vertraulich')).caseId;
    const ben = await (await newContext(browser)).newPage();
    await signIn(ben, app.baseUrl, 'ben', 'Fachkraft (SKM)');
    await ben.getByText('Für heute steht nichts an.').waitFor();
    await ben.getByRole('link', { name: 'Meine Fälle' }).click();
    await ben.getByText('Keine Fälle gefunden.').waitFor(); // (this test runs before ben is given a case)
    await ben.goto(`${app.baseUrl}/faelle/${caseId}`);
    await ben.getByRole('alert').filter({ hasText: 'Nicht gefunden (oder der Fall gehört nicht zu Ihren Fällen)' }).waitFor();
    expect(await ben.content()).not.toContain('Vertraulich');
    await expectAccessible(ben, 'forbidden case');
    await screenshot(ben, '09-fremder-fall');
  }, 120_000);

  it('lets the Fachstelle extend the help period and hand the case to another caseworker, who then has it', async () => {
    const caseId = (await app.activeCaseOfAnna('Haushalt Übergabe')).caseId;
    const fachstelle = await (await newContext(browser)).newPage();
    await signIn(fachstelle, app.baseUrl, 'fs-1', 'Fachstelle Wohnen');
    await fachstelle.goto(`${app.baseUrl}/faelle/${caseId}`);
    const plannedEnd = async () =>
      (await facts(fachstelle).locator('.fact', { hasText: 'Geplantes Ende' }).locator('dd').textContent()) ?? '';
    const before = await plannedEnd();
    await fachstelle.getByRole('button', { name: 'Verlängern …' }).click();
    await fachstelle.getByLabel('Grund der Verlängerung').selectOption('housing_search_ongoing');
    await expectAccessible(fachstelle, 'extension form');
    await fachstelle.getByRole('button', { name: 'Hilfe verlängern' }).click();
    await fachstelle.locator('ol.timeline').getByText('Hilfezeitraum verlängert', { exact: true }).waitFor();
    // The detail and the timeline are read side by side: wait for the detail too, not only the timeline.
    await facts(fachstelle).locator('.fact', { hasText: 'Geplantes Ende' }).locator('dd').filter({ hasNotText: before }).waitFor();
    expect(await plannedEnd()).not.toBe(before);

    await fachstelle.getByRole('button', { name: 'Fachkraft wechseln …' }).click();
    await fachstelle.getByLabel('Neue Fachkraft').fill('ben');
    await fachstelle.getByRole('button', { name: 'Fachkraft wechseln', exact: true }).click();
    await fachstelle.locator('ol.timeline').getByText('Fachkraft gewechselt', { exact: true }).waitFor();
    await factsShow(fachstelle, 'ben');
    expect(await facts(fachstelle).textContent()).not.toContain('anna');

    const ben = await (await newContext(browser)).newPage();
    await signIn(ben, app.baseUrl, 'ben', 'Fachkraft (SKM)');
    await ben.getByRole('link', { name: 'Meine Fälle' }).click();
    await ben.getByRole('link', { name: 'Haushalt Übergabe' }).click();
    await ben.getByRole('heading', { name: 'Fall: Haushalt Übergabe' }).waitFor();
  }, 90_000);

  it('lets the evaluator see anonymised statistics and download the annual report and the case export', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, app.baseUrl, 'eva', 'Auswertung');
    // The dashboard comes first (dashboard.e2e.spec.ts); the period tables are the second screen.
    await page.getByRole('link', { name: 'Detailtabellen' }).click();
    await page.getByRole('button', { name: 'Anzeigen', exact: true }).click();
    await page.getByRole('heading', { name: 'Alle Haushalte' }).waitFor();
    await page.getByRole('heading', { name: 'Familien mit Kindern' }).click(); // opens the same figures for families with children
    await page.locator('#children-referrals').waitFor();
    expect(await page.locator('main').textContent()).toContain('<5');
    expect(await page.locator('main').textContent()).not.toContain('Yilmaz');
    await expectAccessible(page, 'statistics');
    await screenshot(page, '10-auswertung');

    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Fallexport/ }).click()]);
    expect(readFileSync(await exported.path(), 'utf8').split('\n')[0]).toMatch(/pseudonym/i);

    await page.getByRole('link', { name: 'Überblick' }).click();
    await page.getByLabel('Berichtsjahr').fill(String(year()));
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Jahresbericht (HTML) herunterladen' }).click(),
    ]);
    expect(report.suggestedFilename()).toBe(`jahresbericht-${year()}.html`);
    const html = readFileSync(await report.path(), 'utf8');
    expect(html).toContain(`<h1>Jahresbericht ${year()}</h1>`);
    expect(html).toContain('Wohnintegrationshilfe');
    expect(html).not.toContain('Yilmaz');
  }, 120_000);

  it('lets the admin rebuild a projection and watch it finish, and asks before erasing personal data', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, app.baseUrl, 'adm', 'Betrieb');
    await page.getByRole('row', { name: /^cases/ }).waitFor();
    await expectAccessible(page, 'operations');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'cases neu aufbauen' }).click();
    await page.locator('[data-status="done"]').waitFor({ timeout: 30_000 });
    expect(await textOf(page, '.rebuild')).toMatch(/fertig: (\d+) von \1 Ereignissen/);
    await screenshot(page, '11-betrieb-neuaufbau');
    await page.getByRole('button', { name: 'Geparkte Ereignisse von cases' }).click();
    await page.getByText('Keine geparkten Ereignisse.').waitFor();
    await expectAccessible(page, 'parked events');

    await page.getByLabel('Haushalts-ID').fill('not-an-id');
    await page.getByRole('button', { name: 'Löschen …' }).click();
    await page.getByRole('alert').filter({ hasText: 'Haushalts-ID' }).waitFor();
    await page.getByLabel('Haushalts-ID').fill('0b7f6c8e-1111-4222-8333-444455556666');
    await page.getByRole('button', { name: 'Löschen …' }).click();
    const dialog = page.getByRole('dialog', { name: 'Wirklich unwiderruflich löschen?' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Abbrechen');
    await expectAccessible(page, 'erasure confirmation');
    await screenshot(page, '12-loeschen-bestaetigen');
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }, 90_000);

  it('lets the admin erase a household: its case then shows no name to anyone', async () => {
    const fs = await app.token('fs-1', 'fachstelle');
    const householdId = randomUUID();
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
    const created = await app.post('/api/cases', fs, {
      householdId,
      receivedOn: today,
      referralSource: 'asd',
      targetGroup: 'recommitted',
      housingSituation: 'seized_flat',
      adults: 1,
      children: 0,
      existingAid: [],
      consentGiven: true,
      household: { name: 'Familie Löschprobe', address: 'Domstraße 9, 50668 Köln' },
    });
    expect(created.status).toBe(201);
    const caseId = created.body.caseId as string;

    const admin = await (await newContext(browser)).newPage();
    await signIn(admin, app.baseUrl, 'adm', 'Betrieb');
    await admin.getByLabel('Haushalts-ID').fill(householdId);
    await admin.getByRole('button', { name: 'Löschen …' }).click();
    await admin
      .getByRole('dialog', { name: 'Wirklich unwiderruflich löschen?' })
      .getByRole('button', { name: 'Endgültig löschen' })
      .click();
    await admin.getByText(`Die personenbezogenen Daten des Haushalts ${householdId} wurden gelöscht.`).waitFor();

    // The erasure answers 204 without a log position: wait until the read side has it.
    for (let tries = 0; tries < 50; tries++) {
      const read = await app.get(`/api/cases/${caseId}`, fs);
      if ((read.body.household as { erased?: boolean } | undefined)?.erased) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const fachstelle = await (await newContext(browser)).newPage();
    await signIn(fachstelle, app.baseUrl, 'fs-1', 'Fachstelle Wohnen');
    await fachstelle.goto(`${app.baseUrl}/faelle/${caseId}`);
    await fachstelle.getByRole('heading', { name: 'Fall (personenbezogene Daten gelöscht)' }).waitFor();
    expect(await fachstelle.locator('main').textContent()).not.toMatch(/Löschprobe|Domstraße 9/);
    await expectAccessible(fachstelle, 'case (erased)');
  }, 120_000);

  it('ends a session the API no longer accepts and says why', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, app.baseUrl, 'anna', 'Fachkraft (SKM)');
    // A token the API refuses (its signature no longer matches, as after a secret rotation).
    await page.evaluate(() => {
      const [head, body] = (sessionStorage.getItem('wih.session') ?? '').split('.');
      sessionStorage.setItem('wih.session', `${head}.${body}.invalid-signature`);
    });
    await page.reload();
    await page.getByText('Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.').waitFor();
    expect(page.url()).toMatch(/\/anmelden$/);
    expect(await page.evaluate(() => sessionStorage.getItem('wih.session'))).toBeNull();
  }, 120_000);

  it('works with the keyboard alone: skip link, sign-in, problems summary that leads to the field', async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.getByLabel('Benutzerkennung').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('signin-user');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('anna');
    await page.keyboard.press('Tab'); // the role group: the checked radio
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Heute', exact: true }).waitFor();

    await page.goto(`${app.baseUrl}/aufnahme`);
    await page.getByRole('button', { name: 'Anfrage aufnehmen' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.error-summary:focus').waitFor();
    expect(await textOf(page, '.error-summary')).toContain('Name des Haushalts: Bitte ausfüllen.');
    await expectAccessible(page, 'intake with problems');
    await screenshot(page, '13-aufnahme-fehler');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('intake-name');
  }, 120_000);
});
