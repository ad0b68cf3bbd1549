import { annualReport } from './annual-report';
import { renderAnnualReportHtml } from './html';
import type { ReportText } from './report-text';
import { AS_OF, GENERATED_AT, reportFacts, YEAR } from './testing';

const report = annualReport(reportFacts(), YEAR, AS_OF, GENERATED_AT);
const empty = { text: '', revision: 0 };
const text: ReportText = {
  text: {
    focus_and_goals: { text: 'Erster Absatz.\n\nZweiter <b>Absatz</b>\nmit Umbruch & mehr.', revision: 2 },
    current_development: empty,
    future_development: empty,
    cooperation: { text: 'Mit der Fachstelle Wohnen.', revision: 1 },
  },
  finalised: null,
};

describe('the annual report HTML with the provider text', () => {
  const page = renderAnnualReportHtml(report, text);

  it('renders the four sections with their German headings, in order, before the figures', () => {
    const headings = ['Schwerpunkte und Ziele der Tätigkeit', 'Derzeitige Entwicklung vor Ort', 'Zukünftige Entwicklung', 'Kooperationen'];
    const at = headings.map((h) => page.indexOf(`<h2>${h}</h2>`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(at[3]).toBeLessThan(page.indexOf('id="all"'));
  });

  it('escapes the text and keeps its paragraphs and line breaks', () => {
    expect(page).toContain('<p>Erster Absatz.</p><p>Zweiter &lt;b&gt;Absatz&lt;/b&gt;<br>mit Umbruch &amp; mehr.</p>');
    expect(page).not.toContain('<b>Absatz');
    expect(page).toContain('(noch kein Text)');
  });

  it('says whether the report is final', () => {
    expect(page).toContain('Entwurf: noch nicht abgeschlossen');
    const final = renderAnnualReportHtml(report, {
      ...text,
      finalised: { asOf: AS_OF, finalisedAt: GENERATED_AT, figuresDigest: 'f'.repeat(64) },
    });
    expect(final).toContain(`Prüfsumme SHA-256 ${'f'.repeat(64)}`);
  });

  it('without text the page is the figures alone, as before', () => {
    expect(renderAnnualReportHtml(report)).not.toContain('report-text');
  });
});
