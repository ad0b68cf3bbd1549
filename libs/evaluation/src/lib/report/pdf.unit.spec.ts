import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { annualReport } from './annual-report';
import { comparisonPeriod, periodicReport } from './periodic-report';
import { renderAnnualReportPdf } from './pdf';
import { AS_OF, GENERATED_AT, PLANTED, reportFacts, YEAR } from './testing';

/**
 * The PDF read back as a reader's tools read it (poppler-utils: pdfinfo, pdftotext, pdftoppm).
 * Without poppler the suite skips with one line, unless CI is set: CI installs it (.ci/run).
 */
const poppler = spawnSync('pdftoppm', ['-v']).error === undefined;
const suite = poppler || process.env.CI ? describe : describe.skip;
if (!poppler && !process.env.CI) console.log('PDF tests skipped: pdftoppm not found (apt-get install poppler-utils).');

const facts = reportFacts();
const report = annualReport(facts, YEAR, AS_OF, GENERATED_AT);

suite('renderAnnualReportPdf: the report as an A4 PDF', () => {
  let dir: string;
  let file: string;
  let bytes: Buffer;
  const tool = (name: string, ...args: string[]): string => execFileSync(name, [...args, file], { encoding: 'utf8' });
  const info = (): Record<string, string> =>
    Object.fromEntries(
      tool('pdfinfo')
        .split('\n')
        .filter((line) => line.includes(':'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
    );
  const pdfText = (): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\f/g, '\n');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wih-report-pdf-'));
    file = join(dir, 'report.pdf');
    bytes = await renderAnnualReportPdf(report);
    writeFileSync(file, bytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a PDF of A4 portrait pages with German metadata from the report', () => {
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const meta = info();
    expect(meta['Page size']).toBe('595.28 x 841.89 pts (A4)');
    expect(meta['Title']).toBe('Jahresbericht 2024');
    expect(meta['CreationDate']).toMatch(/Mar\s+2 09:30:00 2025 UTC/);
    expect(bytes.toString('latin1')).toContain('/Lang (de)');
    // both scopes, the second on its own page: more than one page, every page numbered "Seite n von m"
    const pages = Number(meta['Pages']);
    expect(pages).toBeGreaterThan(2);
    const footers = pdfText().match(/Seite \d+ von \d+/g);
    expect(footers).toEqual(Array.from({ length: pages }, (_, i) => `Seite ${i + 1} von ${pages}`));
  });

  it('holds the title block, the headings and the figures of both years, hidden values worded as in the HTML', () => {
    const all = pdfText();
    for (const line of [
      'Jahresbericht 2024',
      'Stand: 01.03.2025, 13:00 Uhr',
      'Erstellt am 02.03.2025, 10:30 Uhr',
      'Vorzulegen bis 30.04.2025',
    ]) {
      expect(all).toContain(line);
    }
    for (const heading of ['Alle Haushalte', 'Familien mit Kindern', 'Zugänge', 'Fallbestand', 'Nachhaltigkeit: Wiederholungsfälle']) {
      expect(all).toContain(heading);
    }
    expect(all).toContain('Kennzahlen 2024 im Vergleich zum Vorjahr');
    expect(all).toMatch(/Zugänge insgesamt\s+15\s+6\s+\+9/);
    expect(all).toMatch(/Selbstmelder\/innen\s+<5\s+0\s+–/);
    expect(all).toMatch(/Amt für Soziales und Senioren\s+unterdrückt\s+6\s+–/);
    // ids are never shown
    expect(all).not.toContain(PLANTED);
  });

  it('shows goal 3 after all households: housing at closing, all households beside households with children, both periods', () => {
    const all = pdfText();
    const goalThree = all.indexOf('Ziel 3: Keine Wohnungslosigkeit');
    expect(goalThree).toBeGreaterThan(all.indexOf('Alle Haushalte'));
    expect(goalThree).toBeLessThan(all.indexOf('Familien mit Kindern', all.indexOf('Hilfeplanung')));
    const section = all.slice(goalThree);
    expect(section).toContain('Wohnsituation bei Beendigung 2024: alle Haushalte und Familien mit Kindern');
    expect(section).toMatch(/Alle Haushalte\s+Familien mit Kindern/);
    // the six closures of 2023 were families' and ended in their own tenancy: the same in both scopes
    expect(section).toMatch(/Beendete Hilfen insgesamt\s+0\s+6\s+0\s+6/);
    expect(section).toMatch(/Eigenes Mietverhältnis\s+0\s+6\s+0\s+6/);
    expect(section).toMatch(/Wohnungslos\s+0\s+0\s+0\s+0/);
  });

  it('ends with the activities beyond single cases: totals, then count and hours per code in both periods', () => {
    const all = pdfText();
    const start = all.indexOf('Einzelfallübergreifende Tätigkeiten');
    expect(start).toBeGreaterThan(all.lastIndexOf('Nachhaltigkeit: Wiederholungsfälle'));
    const section = all.slice(start);
    expect(section).toMatch(/Tätigkeiten insgesamt\s+2\s+1/);
    expect(section).toMatch(/Stunden insgesamt\s+3,75\s+6/);
    expect(section).toMatch(/Teilnehmende insgesamt\s+22\s+1/);
    // the unit row under both periods, in each of the three breakdowns (and again after a page break)
    expect(section.match(/Anzahl\s+Stunden\s+Anzahl\s+Stunden/g)?.length).toBeGreaterThanOrEqual(3);
    for (const caption of ['Tätigkeiten nach Art', 'Tätigkeiten nach Partner', 'Tätigkeiten nach Stadtbezirk'])
      expect(section).toContain(caption);
    expect(section).toMatch(/Vernetzung im Sozialraum\s+1\s+2,5\s+0\s+0/);
    expect(section).toMatch(/Fortbildung\s+0\s+0\s+1\s+6/);
    // an activity with two partners counts for each
    expect(section).toMatch(/Wohnungsbaugesellschaften\s+1\s+2,5\s+0\s+0/);
    expect(section).toMatch(/Mülheim\s+1\s+1,25\s+0\s+0/);
  });

  it('shows the help plan in both scopes: goals, the share achieved by who acts, the household’s view', () => {
    const all = pdfText();
    const [first, second] = [all.indexOf('Hilfeplanung: Beteiligung'), all.lastIndexOf('Hilfeplanung: Beteiligung')];
    expect(second).toBeGreaterThan(all.indexOf('Familien mit Kindern', first));
    const block = all.slice(first, all.indexOf('Ziel 3: Keine Wohnungslosigkeit'));
    expect(block).toMatch(/Betreute Haushalte mit Hilfeplan\s+7\s+0\s+\+7/);
    expect(block).toMatch(/Vereinbarte Ziele\s+14\s+0\s+\+14/);
    expect(block).toMatch(/Haushalt selbst\s+100,0 %\s+–\s+–/);
    expect(block).toMatch(/Teilweise zufrieden\s+7\s+0\s+\+7/);
  });

  it('repeats the header row of a table continued on the next page', () => {
    // 7 figure tables per scope; each header row that appears more often was repeated after a page break
    const headers = pdfText().match(/^\s*Kennzahl\s+2024\s+Vorjahr 2023\s+Veränderung\s*$/gm) ?? [];
    expect(headers.length).toBeGreaterThan(14);
  });

  it('renders to an image (the page is drawable, charts included)', () => {
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-singlefile', file, join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page.png'));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(10_000);
  });

  it('is the same bytes for the same report', async () => {
    expect((await renderAnnualReportPdf(structuredClone(report))).equals(bytes)).toBe(true);
  });

  it('titles a quarter by its number and compares it with the same quarter a year earlier', async () => {
    const period = { from: '2024-01-01', to: '2024-03-31' };
    writeFileSync(file, await renderAnnualReportPdf(periodicReport(facts, period, comparisonPeriod(period), AS_OF, GENERATED_AT)));
    expect(info()['Title']).toBe('Bericht 1. Quartal 2024');
    const all = pdfText();
    expect(all).toMatch(/Kennzahl\s+1\. Quartal 2024\s+1\. Quartal 2023\s+Veränderung/);
    expect(all).not.toContain('Vorzulegen bis');
  });

  it("puts the provider's text before the figures, each section under its heading, and says whether it is final", async () => {
    const text = {
      text: {
        focus_and_goals: { text: 'Schwerpunkt war die Nachsorge.\n\nZweiter Absatz.', revision: 2 },
        current_development: { text: '', revision: 0 },
        future_development: { text: 'Mehr Hausbesuche im Veedel.', revision: 1 },
        cooperation: { text: 'Mit der Fachstelle Wohnen.', revision: 1 },
      },
      finalised: { asOf: AS_OF, finalisedAt: GENERATED_AT, figuresDigest: 'ab'.repeat(32) },
    };
    writeFileSync(file, await renderAnnualReportPdf(report, text));
    const all = pdfText();
    const order = [
      'Abgeschlossen am',
      'Schwerpunkte und Ziele der Tätigkeit',
      'Schwerpunkt war die Nachsorge.',
      'Zweiter Absatz.',
      'Derzeitige Entwicklung vor Ort',
      '(noch kein Text)',
      'Zukünftige Entwicklung',
      'Mehr Hausbesuche im Veedel.',
      'Kooperationen',
      'Mit der Fachstelle Wohnen.',
      'Alle Haushalte',
    ].map((line) => all.indexOf(line));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});
