// The page.evaluate() callbacks run in the browser.
/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appAndBrowserPerSuite, browserSuite, expectAccessible, newContext, PHONE, RunningApp, screenshot, signIn } from './harness';

/**
 * The case page's forms in Chromium: a help plan agreed with the household, a visit that records
 * a goal review, an activity beyond single cases, the household's new address, and the
 * Fachstelle restricting processing and lifting it again. The caseworker works on a phone
 * (390×844, touch), the Fachstelle at a desk; axe on every new screen at both sizes.
 */
let app: RunningApp;
let browser: Browser;

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('.');
const facts = (page: Page) => page.locator('dl.facts');
const plan = (page: Page) => page.locator('section[aria-labelledby="plan-title"]');
const timeline = (page: Page) => page.locator('ol.timeline');
const saved = (page: Page) => page.getByText('Gespeichert. Die Anzeige ist aktuell.').waitFor();

const phoneContext = (): Promise<BrowserContext> => newContext(browser, PHONE);

/** No horizontal scrolling on the phone (WCAG 1.4.10 reflow). */
const fitsTheScreen = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

browserSuite()('case page forms in the browser', () => {
  appAndBrowserPerSuite((started, launched) => {
    app = started;
    browser = launched;
  });

  it('agrees a help plan, records a visit with a goal review, an activity and a new address, on a phone', async () => {
    const { caseId } = await app.activeCaseOfAnna('Familie Hilfeplan', { address: 'Neusser Straße 3, 50670 Köln', children: 1 });
    const phone = await (await phoneContext()).newPage();
    await signIn(phone, app.baseUrl, 'anna', 'Fachkraft (SKM)');
    await phone.goto(`${app.baseUrl}/faelle/${caseId}`);
    await phone.getByRole('heading', { name: 'Fall: Familie Hilfeplan' }).waitFor({ timeout: 60_000 });
    await plan(phone).getByText('Noch kein Hilfeplan vereinbart.').waitFor();

    // The plan: two goals, the second added with the button.
    await phone.getByRole('button', { name: 'Hilfeplan vereinbaren …' }).click();
    await phone.getByRole('group', { name: 'Hat der Haushalt an der Planung mitgewirkt?' }).getByRole('radio', { name: 'Ja' }).check();
    const goal = (n: number) => phone.getByRole('group', { name: `Ziel ${n}`, exact: true });
    await goal(1).getByLabel('Bereich').selectOption('rent_and_debts');
    await goal(1).getByLabel('Wer handelt?').selectOption('household');
    await goal(1).getByLabel('Überprüfen am').fill(today());
    await goal(1).getByLabel('Ziel in Worten').fill('Ratenzahlung für den Mietrückstand vereinbaren');
    await phone.getByRole('button', { name: 'Weiteres Ziel hinzufügen' }).click();
    await goal(2).getByLabel('Bereich').selectOption('income_and_benefits');
    await goal(2).getByLabel('Wer handelt?').selectOption('together');
    await goal(2).getByLabel('Überprüfen am').fill(today());
    await goal(2).getByLabel('Ziel in Worten').fill('Antrag auf Wohngeld stellen');
    await expectAccessible(phone, 'help plan form (phone)');
    await fitsTheScreen(phone);
    await screenshot(phone, '29-hilfeplan-mobil');
    await phone.getByRole('button', { name: 'Hilfeplan speichern' }).click();
    await saved(phone);
    await plan(phone).getByText('Antrag auf Wohngeld stellen').waitFor();
    await timeline(phone).getByText('Hilfeplan vereinbart', { exact: true }).waitFor();
    // Both goals are due today.
    await plan(phone).getByText('Überprüfung fällig').waitFor();

    // One visit records the visit and the review of the first goal.
    await phone.getByRole('button', { name: 'Hausbesuch erfassen …' }).click();
    await phone.getByRole('group', { name: 'Haushalt angetroffen?' }).getByRole('radio', { name: 'Ja' }).check();
    const review = phone.getByRole('group', { name: 'Ziel 1: Ratenzahlung für den Mietrückstand vereinbaren' });
    await review.getByLabel('Stand').selectOption('achieved');
    await review.getByLabel('Sicht des Haushalts').selectOption('satisfied');
    await expectAccessible(phone, 'visit with goal review (phone)');
    await fitsTheScreen(phone);
    await screenshot(phone, '30-hausbesuch-zielpruefung-mobil');
    await phone.getByRole('button', { name: 'Hausbesuch speichern' }).click();
    await saved(phone);
    await timeline(phone).getByText('Ziel überprüft', { exact: true }).waitFor();
    expect(await timeline(phone).textContent()).toMatch(/Ziel überprüft.*Stand: Erreicht.*Hausbesuch.*Hilfeplan vereinbart/s);
    const first = plan(phone).locator('li.goal', { hasText: 'Ratenzahlung' });
    await first.getByText('Erreicht', { exact: true }).waitFor();
    expect(await first.textContent()).toContain('Zufrieden');
    expect(await first.textContent()).toContain(ddmmyyyy(today()));
    await expectAccessible(phone, 'case with help plan (phone)');
    await fitsTheScreen(phone);
    await screenshot(phone, '31-hilfeplan-stand-mobil');

    // The household moved.
    await phone.getByRole('button', { name: 'Kontaktdaten ändern …' }).click();
    await phone.getByLabel('Anlass').selectOption('moved');
    await phone.getByLabel('Neue Anschrift').fill('Berliner Straße 12, 51063 Köln');
    await expectAccessible(phone, 'household details form (phone)');
    await fitsTheScreen(phone);
    await phone.getByRole('button', { name: 'Kontaktdaten speichern' }).click();
    await saved(phone);
    await facts(phone).getByText('Berliner Straße 12, 51063 Köln').waitFor();
    await timeline(phone).getByText('Kontaktdaten geändert', { exact: true }).waitFor();
    expect(await timeline(phone).textContent()).not.toContain('Neusser Straße');

    // An activity beyond single cases, from the navigation.
    await phone.getByRole('link', { name: 'Aktivitäten' }).click();
    await phone.getByRole('heading', { name: 'Einzelfallübergreifende Aktivitäten' }).waitFor();
    await phone.getByLabel('Art der Aktivität').selectOption('networking');
    await phone.getByLabel('Stadtbezirk').selectOption('muelheim');
    await phone.getByRole('checkbox', { name: 'Sozialraumkoordination' }).check();
    await phone.getByLabel('Dauer in Stunden').fill('1,5');
    await phone.getByLabel('Teilnehmende').fill('8');
    await expectAccessible(phone, 'activities (phone)');
    await fitsTheScreen(phone);
    await screenshot(phone, '32-aktivitaeten-mobil');
    await phone.getByRole('button', { name: 'Aktivität speichern' }).click();
    await phone.getByText('Aktivität gespeichert.').waitFor();
    const item = phone.locator('.activity-list li', { hasText: 'Vernetzung im Sozialraum' });
    await item.waitFor();
    expect(await item.textContent()).toMatch(/Mülheim · 1,5 Std\. · Teilnehmende: 8/);
    expect(await phone.getByLabel('Dauer in Stunden').inputValue()).toBe(''); // ready for the next one
    await expectAccessible(phone, 'activities saved (phone)');

    // The same screens at a desk.
    const desk = await (await newContext(browser)).newPage();
    await signIn(desk, app.baseUrl, 'anna', 'Fachkraft (SKM)');
    await desk.goto(`${app.baseUrl}/faelle/${caseId}`);
    await plan(desk).getByText('Antrag auf Wohngeld stellen').waitFor();
    await expectAccessible(desk, 'case with help plan (desktop)');
    await screenshot(desk, '31-hilfeplan-stand');
    await desk.getByRole('link', { name: 'Aktivitäten' }).click();
    await desk.locator('.activity-list li').first().waitFor();
    await expectAccessible(desk, 'activities (desktop)');
    await screenshot(desk, '32-aktivitaeten');
  }, 180_000);

  it('lets the Fachstelle restrict processing and lift it; meanwhile the caseworker sees no personal data', async () => {
    const { caseId } = await app.activeCaseOfAnna('Familie Einschränkung', { address: 'Neusser Straße 3, 50670 Köln', children: 1 });
    const anna = await app.token('anna', 'caseworker');
    const agreed = await app.post(`/api/cases/${caseId}/help-plan`, anna, {
      agreedOn: today(),
      householdParticipated: true,
      goals: [{ area: 'housing', actor: 'together', reviewOn: today(), wording: 'Wohnung dauerhaft halten' }],
    });
    expect(agreed.status).toBe(200);

    const fachstelle = await (await newContext(browser)).newPage();
    await signIn(fachstelle, app.baseUrl, 'fs-1', 'Fachstelle Wohnen');
    await fachstelle.goto(`${app.baseUrl}/faelle/${caseId}`);
    await fachstelle.getByRole('heading', { name: 'Fall: Familie Einschränkung' }).waitFor({ timeout: 60_000 });
    await fachstelle.getByRole('button', { name: 'Verarbeitung einschränken …' }).click();
    await fachstelle.getByLabel('Grund (Art. 18 Abs. 1 DSGVO)').selectOption('accuracy_contested');
    await expectAccessible(fachstelle, 'restriction form');
    await screenshot(fachstelle, '33-einschraenken');
    await fachstelle.getByRole('button', { name: 'Verarbeitung einschränken', exact: true }).click();
    await saved(fachstelle);
    await facts(fachstelle).getByText('eingeschränkt', { exact: true }).waitFor();
    await timeline(fachstelle).getByText('Verarbeitung eingeschränkt', { exact: true }).waitFor();
    // The Fachstelle still sees the data, and may only close the case or lift the restriction.
    expect(await fachstelle.locator('main').textContent()).toContain('Wohnung dauerhaft halten');
    expect(await fachstelle.locator('.action-buttons button').allTextContents()).toEqual(['Hilfe beenden …', 'Einschränkung aufheben …']);
    await expectAccessible(fachstelle, 'case (restricted, Fachstelle)');
    await screenshot(fachstelle, '34-eingeschraenkt-fachstelle');

    for (const size of ['desktop', 'phone'] as const) {
      const caseworker = await (size === 'phone' ? await phoneContext() : await newContext(browser)).newPage();
      await signIn(caseworker, app.baseUrl, 'anna', 'Fachkraft (SKM)');
      await caseworker.goto(`${app.baseUrl}/faelle/${caseId}`);
      await caseworker.getByRole('heading', { name: 'Fall (Verarbeitung eingeschränkt)' }).waitFor();
      await caseworker.getByText(/Personenbezogene Daten sieht nur die Fachstelle Wohnen/).waitFor();
      await timeline(caseworker).waitFor();
      const main = (await caseworker.locator('main').textContent()) ?? '';
      expect(main).not.toMatch(/Familie Einschränkung|Neusser Straße|Wohnung dauerhaft halten/);
      expect(main).toContain('(Formulierung eingeschränkt)');
      expect(await caseworker.locator('.action-buttons button').allTextContents()).toEqual(['Hilfe beenden …']);
      await expectAccessible(caseworker, `case (restricted, caseworker, ${size})`);
      if (size === 'phone') {
        await fitsTheScreen(caseworker);
        await screenshot(caseworker, '35-eingeschraenkt-fachkraft-mobil');
      }
      await caseworker.context().close();
    }

    await fachstelle.getByRole('button', { name: 'Einschränkung aufheben …' }).click();
    await expectAccessible(fachstelle, 'lift restriction form');
    await fachstelle.getByRole('button', { name: 'Einschränkung aufheben', exact: true }).click();
    await saved(fachstelle);
    await timeline(fachstelle).getByText('Einschränkung aufgehoben', { exact: true }).waitFor();
    await facts(fachstelle).getByText('eingeschränkt', { exact: true }).waitFor({ state: 'detached' });

    const caseworker = await (await newContext(browser)).newPage();
    await signIn(caseworker, app.baseUrl, 'anna', 'Fachkraft (SKM)');
    await caseworker.goto(`${app.baseUrl}/faelle/${caseId}`);
    await caseworker.getByRole('heading', { name: 'Fall: Familie Einschränkung' }).waitFor();
    await plan(caseworker).getByText('Wohnung dauerhaft halten').waitFor();
  }, 180_000);
});
