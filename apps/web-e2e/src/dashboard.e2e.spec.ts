// The page.evaluate() callbacks run in the browser.
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appAndBrowserPerSuite, browserSuite, expectAccessible, newContext, PHONE, RunningApp, screenshot, signIn } from './harness';

/**
 * The evaluators' dashboard and the report editor in Chromium against the built API: suppressed
 * cells shown as such, the downloads, a section edited, a stale revision from a second page, the
 * personal-data refusal, the finalisation; axe at desktop and phone size (decision 0039).
 */
let app: RunningApp;
let browser: Browser;

const year = new Date().getFullYear();
const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
const HOUSEHOLD = 'Kemal Öztürk';

const phoneContext = (): Promise<BrowserContext> => newContext(browser, PHONE);

const noHorizontalScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

/** A few referrals this year: small enough that the figures come back as "<5" and "unterdrückt". */
async function seed(): Promise<void> {
  const anna = await app.token('anna', 'caseworker');
  const fs = await app.token('fs-1', 'fachstelle');
  const sources = ['asd', 'asd', 'asd', 'asd', 'asd', 'asd', 'jobcenter'];
  for (const [i, referralSource] of sources.entries()) {
    const created = await app.post('/api/cases', anna, {
      receivedOn: today,
      referralSource,
      targetGroup: 'recommitted',
      housingSituation: 'seized_flat',
      adults: 1,
      children: i % 2,
      existingAid: [],
      consentGiven: true,
      household: { name: i === 0 ? HOUSEHOLD : `Haushalt ${i}`, address: `Domstraße ${i + 2}, 50668 Köln` },
    });
    expect(created.status).toBe(201);
    if (i < 5) {
      const end = new Date(Date.now() + 180 * 86_400_000).toISOString().slice(0, 10);
      const approved = await app.post(`/api/cases/${created.body.caseId as string}/approval`, fs, {
        approvedOn: today,
        assignedCaseworkerId: 'anna',
        plannedEndOn: end,
      });
      expect(approved.status).toBe(200);
    }
  }
}

async function openEditor(page: Page, user: string, reportYear: number): Promise<void> {
  await signIn(page, app.baseUrl, user, 'Auswertung');
  await page.getByRole('link', { name: 'Berichtstext', exact: true }).click();
  // The router renders a navigation as a transition, and the dashboard it replaces has a
  // "Berichtsjahr" field too: fill only once the editor stands, and edit only the year asked for.
  await page.getByRole('button', { name: 'Öffnen' }).waitFor();
  await page.getByLabel('Berichtsjahr').fill(String(reportYear));
  await page.getByRole('button', { name: 'Öffnen' }).click();
  await page.getByRole('heading', { name: `Berichtstext ${reportYear}`, level: 1 }).waitFor();
  await page.getByRole('textbox', { name: 'Kooperationen' }).waitFor();
}

browserSuite()('evaluator dashboard and report editor in the browser', () => {
  appAndBrowserPerSuite(async (started, launched) => {
    app = started;
    browser = launched;
    await seed();
  });

  it('shows the key figures beside the year before, withheld cells as such, and downloads HTML, CSV and PDF', async () => {
    const page = await (await newContext(browser)).newPage();
    await signIn(page, app.baseUrl, 'eva-dash', 'Auswertung');
    await page.getByLabel('Berichtsjahr').fill(String(year));
    await page.getByRole('button', { name: 'Kennzahlen anzeigen' }).click();
    await page.getByRole('heading', { name: `Überblick ${year}` }).waitFor();
    await page.getByRole('heading', { name: 'Kennzahlen', exact: true }).waitFor();
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('<5');
    expect(main).toContain('unterdrückt');
    expect(main).toContain(`Vorjahr ${year - 1}`);
    expect(main).not.toContain(HOUSEHOLD);
    // The chart names what it does not draw, and its table holds the cells as published.
    const source = page.getByRole('figure', { name: 'Zugänge nach Zugangsweg' });
    expect(await source.locator('.report-chart-note').textContent()).toMatch(/Nicht gezeichnet \(zurückgehalten\):.*(<5|unterdrückt)/);
    expect(await source.locator('.recharts-wrapper > svg > title').textContent()).toBe('Zugänge nach Zugangsweg');
    // In the chart itself the withheld value stands under its category, where its bar would be.
    const marker = source.locator('.recharts-wrapper > svg tspan[font-style="italic"]').first();
    expect(await marker.textContent()).toMatch(new RegExp(`${year}: (<5|unterdrückt)`));
    await source.getByText('Tabelle: Zugänge nach Zugangsweg').click();
    const cells = await source.getByRole('table').locator('td').allTextContents();
    expect(cells.some((c) => c === '<5' || c === 'unterdrückt')).toBe(true);
    await expectAccessible(page, 'dashboard');
    await screenshot(page, '20-auswertung-ueberblick');

    for (const format of ['html', 'csv', 'pdf'] as const) {
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: `Jahresbericht (${format.toUpperCase()}) herunterladen` }).click(),
      ]);
      expect(file.suggestedFilename()).toBe(`jahresbericht-${year}.${format}`);
      const body = readFileSync(await file.path());
      if (format === 'html') expect(body.toString('utf8')).toContain(`<h1>Jahresbericht ${year}</h1>`);
      if (format === 'csv') expect(body.toString('utf8').split('\n').length).toBeGreaterThan(10);
      if (format === 'pdf') expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(body.toString('latin1')).not.toContain(HOUSEHOLD);
    }
    await page.getByText(`jahresbericht-${year}.pdf wurde heruntergeladen.`).waitFor();

    // The detail tables stay one link away.
    await page.getByRole('link', { name: 'Detailtabellen' }).click();
    await page.getByRole('button', { name: 'Anzeigen', exact: true }).waitFor();

    const phone = await (await phoneContext()).newPage();
    await signIn(phone, app.baseUrl, 'eva-phone', 'Auswertung');
    await phone.getByLabel('Berichtsjahr').fill(String(year));
    await phone.getByRole('button', { name: 'Kennzahlen anzeigen' }).click();
    await phone.getByRole('heading', { name: 'Kennzahlen', exact: true }).waitFor();
    await phone.getByRole('figure', { name: 'Kennzahlen im Jahresvergleich' }).locator('.recharts-wrapper > svg').waitFor();
    await noHorizontalScroll(phone);
    await expectAccessible(phone, 'dashboard (phone)');
    await screenshot(phone, '21-auswertung-ueberblick-mobil');
  }, 180_000);

  it('edits a section, keeps the text through a stale revision, shows the personal-data refusal, and finalises', async () => {
    const reportYear = year - 1;
    const first = await (await newContext(browser)).newPage();
    const second = await (await newContext(browser)).newPage();
    await openEditor(first, 'eva-a', reportYear);
    await openEditor(second, 'eva-b', reportYear);
    await expectAccessible(first, 'report editor');

    // Both opened the section at revision 0; the first saves.
    await first.getByRole('textbox', { name: 'Kooperationen' }).fill('Enge Zusammenarbeit mit dem Jobcenter.');
    await first.getByRole('button', { name: 'Kooperationen speichern' }).click();
    await first.getByText('Kooperationen gespeichert (Fassung 1).').waitFor();

    // The second still edits revision 0: 412, the typed text stays, the current one comes beside it.
    const theirs = second.getByRole('textbox', { name: 'Kooperationen' });
    await theirs.fill('Neue Kooperation mit dem Mieterverein.');
    await second.getByRole('button', { name: 'Kooperationen speichern' }).click();
    await second.getByText(/inzwischen von jemand anderem geändert/).waitFor();
    expect(await theirs.inputValue()).toBe('Neue Kooperation mit dem Mieterverein.');
    await second.getByRole('button', { name: 'Aktuelle Fassung daneben laden' }).click();
    const current = second.getByRole('region', { name: 'Aktuelle Fassung 1 (gespeichert)' });
    expect(await current.textContent()).toContain('Enge Zusammenarbeit mit dem Jobcenter.');
    await expectAccessible(second, 'report editor (stale revision)');
    await screenshot(second, '22-berichtstext-konflikt');
    await theirs.fill('Enge Zusammenarbeit mit dem Jobcenter und dem Mieterverein.');
    await second.getByRole('button', { name: 'Kooperationen speichern' }).click();
    await second.getByText('Kooperationen gespeichert (Fassung 2).').waitFor();

    // A text that names a household is refused; the passage stands beside the field.
    const focus = first.getByRole('textbox', { name: 'Schwerpunkte und Ziele der Tätigkeit' });
    await focus.fill(`Im Mittelpunkt stand die Begleitung von ${HOUSEHOLD} beim Umzug.`);
    await first.getByRole('button', { name: 'Schwerpunkte und Ziele der Tätigkeit speichern' }).click();
    await first.getByText(/nennt einen Haushalt/).waitFor();
    expect(await focus.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await focus.getAttribute('aria-describedby')) ?? '';
    const refusal = first.locator(`[id="${describedBy.split(' ')[1]}"]`);
    expect(await refusal.locator('li mark').allTextContents()).toEqual([HOUSEHOLD]);
    expect(await focus.inputValue()).toContain(HOUSEHOLD);
    await expectAccessible(first, 'report editor (personal data refused)');
    await screenshot(first, '24-berichtstext-personenbezug');
    await focus.fill('Im Mittelpunkt stand die Begleitung beim Umzug.');
    await first.getByRole('button', { name: 'Schwerpunkte und Ziele der Tätigkeit speichern' }).click();
    await first.getByText('Schwerpunkte und Ziele der Tätigkeit gespeichert (Fassung 1).').waitFor();

    // The finalisation asks first; Escape cancels, the dialog holds the focus.
    const dialog = first.getByRole('dialog', { name: `Jahresbericht ${reportYear} abschließen?` });
    await first.getByRole('button', { name: 'Jahresbericht abschließen …' }).click();
    await dialog.waitFor();
    expect(await first.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    for (let i = 0; i < 4; i++) await first.keyboard.press('Tab');
    expect(await first.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    await expectAccessible(first, 'finalisation dialog');
    await screenshot(first, '25-abschluss-bestaetigen');
    await first.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await first.getByRole('button', { name: 'Jahresbericht abschließen …' }).click();
    expect(await dialog.getByLabel('Zahlen mit Stand vom').inputValue()).toBe(today);
    await dialog.getByRole('button', { name: 'Endgültig abschließen' }).click();
    await first.getByText(`Der Jahresbericht ${reportYear} ist abgeschlossen.`).waitFor();
    await first.getByText(/Der Bericht ist abgeschlossen/).waitFor();
    expect(await first.getByRole('textbox').count()).toBe(1); // only the year field: the text is read only
    expect(await first.locator('main').textContent()).toContain('Enge Zusammenarbeit mit dem Jobcenter und dem Mieterverein.');
    await expectAccessible(first, 'report finalised');

    const phone = await (await phoneContext()).newPage();
    await openEditor(phone, 'eva-phone-2', year);
    await noHorizontalScroll(phone);
    await expectAccessible(phone, 'report editor (phone)');
    await screenshot(phone, '23-berichtstext-mobil');
  }, 240_000);
});
