// The page.evaluate() callbacks run in the browser.
/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appAndBrowserPerSuite, browserSuite, expectAccessible, newContext, PHONE, RunningApp, screenshot, signIn } from './harness';

/**
 * Home visits without a connection (decision 0040): the built app installs a service worker and
 * reloads offline; visits written offline wait in the outbox, arrive exactly once when the browser
 * is back online, and a refused one comes back with its input for correcting. Phone and desktop.
 */
let app: RunningApp;
let browser: Browser;

const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(new Date());
const status = (page: Page) => page.getByRole('status', { name: 'Postausgang-Status' });

/** The visits the API recorded for a case (the timeline read model; read until it holds `count`, or as it is after a minute). */
async function visitsRecorded(caseId: string, count: number): Promise<number> {
  const anna = await app.token('anna', 'caseworker');
  let visits = -1;
  for (let attempt = 0; attempt < 120; attempt++) {
    const { body } = await app.get(`/api/cases/${caseId}/timeline`, anna);
    visits = (body.items as { type: string }[]).filter((i) => i.type === 'HomeVisitRecorded').length;
    if (visits >= count) return visits;
    await new Promise((r) => setTimeout(r, 500));
  }
  return visits;
}

/** A phone, with the service worker this suite tests. */
const phoneContext = (): Promise<BrowserContext> => newContext(browser, { ...PHONE, serviceWorkers: 'allow' });

async function recordVisit(page: Page, notes: string): Promise<void> {
  await page.getByRole('button', { name: 'Hausbesuch erfassen …' }).click();
  await page.getByRole('group', { name: 'Haushalt angetroffen?' }).getByRole('radio', { name: 'Ja' }).check();
  await page.getByLabel('Notizen').fill(notes);
  await page.getByRole('button', { name: 'Hausbesuch speichern' }).click();
  await page.getByRole('status').filter({ hasText: 'Noch nicht gespeichert' }).waitFor();
}

/** Signed in, on the case page, with the service worker controlling the page (so a reload offline works). */
async function onCasePage(page: Page, caseId: string, name: string): Promise<void> {
  await signIn(page, app.baseUrl, 'anna', 'Fachkraft (SKM)');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.goto(`${app.baseUrl}/faelle/${caseId}`);
  await page.getByRole('heading', { name: `Fall: ${name}` }).waitFor({ timeout: 60_000 });
}

browserSuite()('offline home visits in the browser', () => {
  appAndBrowserPerSuite((started, launched) => {
    app = started;
    browser = launched;
  });

  it('serves an installable app: the manifest and a service worker that is never cached stale', async () => {
    const sw = await fetch(`${app.baseUrl}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    const worker = await sw.text();
    expect(worker).toContain('NetworkOnly');
    expect(worker).not.toMatch(/url:"api\//);
    const manifest = await fetch(`${app.baseUrl}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/application\/manifest\+json/);
    const body = (await manifest.json()) as { name: string; lang: string; theme_color: string; icons: { src: string }[] };
    expect(body).toMatchObject({ name: 'Wohnintegrationshilfe Köln', lang: 'de', theme_color: '#0b4f8a' });
    for (const icon of body.icons) expect((await fetch(`${app.baseUrl}${icon.src}`)).status).toBe(200);
  });

  it('on a phone: two visits written offline survive a reload and arrive exactly once when back online', async () => {
    const caseId = (await app.activeCaseOfAnna('Familie Unterwegs')).caseId;
    const context = await phoneContext();
    const page = await context.newPage();
    await onCasePage(page, caseId, 'Familie Unterwegs');
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.scriptURL)).toBe(
      `${app.baseUrl}/sw.js`,
    );

    await context.setOffline(true);
    await recordVisit(page, 'Erster Besuch ohne Netz');
    await status(page).filter({ hasText: '1 Eintrag wartet auf Verbindung' }).waitFor();
    await recordVisit(page, 'Zweiter Besuch ohne Netz');
    await status(page).filter({ hasText: '2 Einträge warten auf Verbindung' }).waitFor();
    expect(await page.getByText('Gespeichert. Die Anzeige ist aktuell.').count()).toBe(0);
    expect(await visitsRecorded(caseId, 0)).toBe(0);

    // A reload without a connection: the service worker serves the app, the outbox is still there.
    await page.reload();
    await status(page).filter({ hasText: '2 Einträge warten auf Verbindung' }).waitFor();
    await page.getByRole('link', { name: 'Postausgang' }).click();
    await page.getByRole('heading', { name: 'Postausgang', level: 1 }).waitFor();
    expect(await page.locator('.outbox-entry h2').allTextContents()).toEqual([
      `Hausbesuch vom ${today().split('-').reverse().join('.')}`,
      `Hausbesuch vom ${today().split('-').reverse().join('.')}`,
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page, 'outbox (phone)');
    await screenshot(page, '26-postausgang-mobil');

    await context.setOffline(false);
    await status(page).filter({ hasText: '2 Einträge gesendet und gespeichert' }).waitFor();
    await page.getByText('Der Postausgang ist leer.').waitFor();
    expect(await visitsRecorded(caseId, 2)).toBe(2);
    // Sent again (another start, another "online"): still two.
    await page.reload();
    await page.getByText('Der Postausgang ist leer.').waitFor();
    await page.goto(`${app.baseUrl}/faelle/${caseId}`);
    await page.locator('ol.timeline').getByText('Hausbesuch', { exact: true }).nth(1).waitFor();
    expect(await page.locator('ol.timeline').getByText('Hausbesuch', { exact: true }).count()).toBe(2);
    expect(await visitsRecorded(caseId, 2)).toBe(2);
    await context.close();
  }, 180_000);

  it('gives a refused visit back with its input (the case changed meanwhile), by keyboard: correct and resend, or discard', async () => {
    const caseId = (await app.activeCaseOfAnna('Haushalt Funkloch')).caseId;
    const context = await newContext(browser, { serviceWorkers: 'allow' });
    const page = await context.newPage();
    await onCasePage(page, caseId, 'Haushalt Funkloch');

    await context.setOffline(true);
    await recordVisit(page, 'Notiz aus dem Funkloch');
    // Meanwhile, somewhere with a connection, a mediation is recorded on the case: its revision moves on.
    const anna = await app.token('anna', 'caseworker');
    expect((await app.post(`/api/cases/${caseId}/mediations`, anna, { mediatedOn: today(), kind: 'landlord' })).status).toBe(200);
    await context.setOffline(false);
    await status(page).filter({ hasText: '1 Eintrag abgelehnt: bitte korrigieren' }).waitFor();
    expect(await visitsRecorded(caseId, 0)).toBe(0);

    // The outbox by keyboard: Tab to "Korrigieren …", Enter.
    await page.goto(`${app.baseUrl}/postausgang`);
    await page.getByRole('heading', { name: 'Postausgang', level: 1 }).waitFor();
    await page.getByText('abgelehnt', { exact: true }).waitFor();
    await page.getByText('Der Fall wurde geändert, nachdem Sie den Eintrag erfasst haben.', { exact: false }).waitFor();
    await expectAccessible(page, 'outbox with a refused entry');
    await screenshot(page, '27-postausgang-abgelehnt');
    await tabTo(page, 'Korrigieren …');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Hausbesuch vom .* korrigieren/ }).waitFor();
    await page.getByRole('heading', { name: 'Seit Ihrer Eingabe hat sich der Fall geändert:' }).waitFor();
    await page.locator('ol.timeline').getByText('Vermittlung', { exact: true }).waitFor();
    expect(await page.getByLabel('Notizen').inputValue()).toBe('Notiz aus dem Funkloch');
    expect(await page.getByRole('radio', { name: 'Ja' }).isChecked()).toBe(true);
    await expectAccessible(page, 'outbox correction');
    await screenshot(page, '28-postausgang-korrigieren');
    await page.getByLabel('Notizen').focus();
    await tabTo(page, 'Hausbesuch speichern');
    await page.keyboard.press('Enter');
    await page.getByText('Gespeichert. Die Anzeige ist aktuell.').waitFor();
    expect(await visitsRecorded(caseId, 1)).toBe(1);
    await status(page).filter({ hasText: /^$/ }).waitFor({ state: 'attached' });

    // Closed meanwhile: the visit comes back; discarded by keyboard, the harmless choice first.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Hausbesuch erfassen …' }).waitFor();
    await recordVisit(page, 'Zu spät');
    const fs = await app.token('fs-1', 'fachstelle');
    expect(
      (await app.post(`/api/cases/${caseId}/closure`, fs, { closedOn: today(), reason: 'time_limit_reached', housingAtClose: 'homeless' }))
        .status,
    ).toBe(200);
    await context.setOffline(false);
    await status(page).filter({ hasText: '1 Eintrag abgelehnt: bitte korrigieren' }).waitFor();
    await page.getByRole('link', { name: 'Postausgang' }).click();
    await page.getByRole('heading', { name: 'Postausgang', level: 1 }).waitFor();
    await tabTo(page, 'Verwerfen …');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Behalten');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Ja, verwerfen');
    await page.keyboard.press('Enter');
    await page.getByText('Der Postausgang ist leer.').waitFor();
    expect(await visitsRecorded(caseId, 1)).toBe(1);
    await context.close();
  }, 180_000);
});

/** Presses Tab until the element with this text has the focus (at most 40 times). */
async function tabTo(page: Page, text: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === text) return;
  }
  throw new Error(`"${text}" not reached with Tab`);
}
