import type { PublishedCount } from '../anonymise';
import { annualReport, type AnnualReport } from './annual-report';
import { formatChangeDe, formatDecimal, formatNumberDe, formatPercentDe } from './format';
import { renderAnnualReportHtml } from './html';
import { escapeHtml } from './markup';
import { AS_OF, GENERATED_AT, reportFacts, YEAR } from './testing';

const report = annualReport(reportFacts(), YEAR, AS_OF, GENERATED_AT);
const page = renderAnnualReportHtml(report);

type Blocks = Record<string, Record<string, unknown>>;
/** A copy of the report with some published figures replaced (as a later rule or bug might produce). */
const edited = (edit: (current: Blocks, previous: Blocks) => void): AnnualReport => {
  const copy = structuredClone(report);
  edit(copy.current as unknown as Blocks, copy.previous as unknown as Blocks);
  return copy;
};
/** The table row whose header cell is `label`. */
const rowOf = (html: string, label: string): string => {
  const start = html.indexOf(`<th scope="row">${label}</th>`);
  if (start < 0) throw new Error(`no row ${label}`);
  return html.slice(start, html.indexOf('</tr>', start));
};

describe('renderAnnualReportHtml: the activities beyond single cases', () => {
  const section = page.slice(page.indexOf('<section class="scope page-break" id="activities">'));

  it('has a section of their own after the households, with the totals of both years', () => {
    expect(page.indexOf('id="activities"')).toBeGreaterThan(page.indexOf('id="withChildren"'));
    expect(section).toContain('<h2>Einzelfallübergreifende Tätigkeiten</h2>');
    expect(rowOf(section, 'Tätigkeiten insgesamt')).toContain('<td class="num">2</td><td class="num">1</td>');
    expect(rowOf(section, 'Stunden insgesamt')).toContain('<td class="num">3,75</td><td class="num">6</td>');
  });

  it('shows each breakdown with count and hours per code in both years', () => {
    expect(section).toContain('<caption>Tätigkeiten nach Art</caption>');
    expect(rowOf(section, 'Akquise von Vermieter/innen')).toContain(
      '<td class="num">1</td><td class="num">1,25</td><td class="num">0</td><td class="num">0</td>',
    );
    expect(rowOf(section, 'Mülheim')).toContain('<td class="num">1</td><td class="num">1,25</td>');
  });
});

describe('renderAnnualReportHtml: one self-contained page', () => {
  it('is one German HTML document', () => {
    expect(page.startsWith('<!doctype html>\n<html lang="de">')).toBe(true);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    for (const tag of ['<html', '<head>', '<body>', '<main>']) expect(page.split(tag)).toHaveLength(2);
    expect(page).toContain('<meta charset="utf-8">');
  });

  it('needs nothing from elsewhere: no script, no URL, no linked resource; print rules inline', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/https?:\/\//i);
    expect(page).not.toMatch(/<link|<img|<iframe|\ssrc=|@import/i);
    // the only url() references are the charts' own hatch patterns
    expect(page.match(/url\([^#]/g)).toBeNull();
    expect(page).toContain('<style>');
    expect(page).toContain('@media print');
    expect(page).toMatch(/break-before: page/);
  });

  it('names the year, the Stand and the generation time, the due date and the anonymisation', () => {
    expect(page).toContain('<title>Jahresbericht 2024</title>');
    expect(page).toContain('<h1>Jahresbericht 2024</h1><p class="meta">Wohnintegrationshilfe</p>');
    expect(page).toContain('Stand: 01.03.2025, 13:00 Uhr');
    expect(page).toContain('Erstellt am 02.03.2025, 10:30 Uhr');
    expect(page).toContain('Vorzulegen bis 30.04.2025');
    expect(page).toContain('Hinweis zur Anonymisierung');
    expect(page).toContain('„&lt;5“');
  });

  it('shows every block for all households and for families with children, the year beside the previous year and the change', () => {
    for (const block of ['Zugänge', 'Fallbestand', 'Hausbesuche', 'Beendete Hilfen', 'Nachhaltigkeit: Wiederholungsfälle']) {
      expect(page.split(`<h3>${block}</h3>`)).toHaveLength(3);
    }
    expect(page).toContain('<h2>Familien mit Kindern</h2>');
    expect(page).toContain('<th scope="col" class="num">Vorjahr 2023</th>');
    expect(rowOf(page, 'Zugänge insgesamt')).toBe(
      '<th scope="row">Zugänge insgesamt</th><td class="num">15</td><td class="num">6</td><td class="num">+9</td>',
    );
    for (const label of ['Selbstmelder/innen', 'Wiedereinweisung', 'Ziel erreicht', 'Vermittlung mit dem Jobcenter']) {
      expect(page).toContain(label);
    }
  });

  it('shows hidden counts as "<5" or "unterdrückt", never as a number, and no change for them', () => {
    const self = rowOf(page, 'Selbstmelder/innen');
    expect(self).toContain('<span class="hidden-cell" title="ein Wert von 1 bis 4">&lt;5</span>');
    expect(self).not.toMatch(/>\s*2\s*</);
    expect(self).toContain('title="nicht berechenbar">–</span>');
    expect(rowOf(page, 'Amt für Soziales und Senioren')).toContain('>unterdrückt</span>');
  });

  it('shows the repeat-case windows with a note while a window is not complete', () => {
    const six = rowOf(page, '6 Monate');
    expect(six).toContain('<td class="num">6</td><td class="num"><span class="hidden-cell"');
    expect(six).toContain('2024: Zeitfenster noch nicht für alle Fälle abgelaufen (vollständig ab 30.06.2025)');
    expect(rowOf(page, '24 Monate')).toContain('2023: Zeitfenster noch nicht für alle Fälle abgelaufen (vollständig ab 31.12.2025)');
    expect(page).toContain('Betrachtete Fälle (Zeitfenster abgelaufen)');
  });

  it('draws the charts as inline SVG with a title, an aria-label and a text alternative; hidden values hatched', () => {
    const charts = page.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(9);
    for (const chart of charts) {
      expect(chart).toMatch(/^<svg class="chart" role="img" aria-label="[^"]+" aria-describedby="[^"]+"/);
      expect(chart).toMatch(/<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/);
    }
    const titles = charts.map((chart) => /<title id="[^"]+">([^<]+)<\/title>/.exec(chart)?.[1]);
    expect(titles).toEqual([
      'Kennzahlen 2024 im Vergleich zum Vorjahr',
      'Zugänge nach Zugangsweg 2024',
      'Zugänge nach Wohnsituation bei Anfrage 2024',
      'Zugänge nach Ursache der Wohnungsgefährdung (Mehrfachnennung) 2024',
      'Hausbesuche nach Anliegen (Mehrfachnennung) 2024',
      'Vermittlungen nach Art 2024',
      'Vermittlungen nach Art der Stelle 2024',
      'Beendete Hilfen nach Grund 2024',
      'Wohnsituation bei Beendigung 2024: alle Haushalte und Familien mit Kindern',
    ]);
    expect(charts[0]).toContain('Zugänge insgesamt: 2024 15, Vorjahr 2023 6');
    expect(charts[1]).toContain('Jobcenter: 7; Amt für Soziales und Senioren: unterdrückt');
    expect(charts[1]).toMatch(/fill="url\(#chart-referrals-bySource-hatch\)"[^>]*\/><text[^>]*>&lt;5<\/text>/);
  });

  it('shows the figures "nach Art": threat causes, housing situation, visit concerns, institution kinds, extensions', () => {
    // every 2024 referral was of a seized flat because of rent arrears (the defaults): 15, the total
    expect(rowOf(page, 'Beschlagnahmte Wohnung')).toContain('<td class="num">15</td><td class="num">6</td>');
    expect(rowOf(page, 'Mietschulden')).toContain('<td class="num">15</td><td class="num">6</td>');
    for (const heading of [
      'Zugänge nach Ursache der Wohnungsgefährdung (Mehrfachnennung)',
      'Hausbesuche nach Anliegen (Mehrfachnennung)',
      'Vermittlungen nach Art der Stelle',
      'Verlängerungen nach Grund',
      'Beendete Hilfen nach Wohnsituation bei Beendigung',
    ]) {
      expect(page).toContain(`<th scope="rowgroup" colspan="4">${heading}</th>`);
    }
    // a mediation without institution kind has a cell of its own, labelled as such
    expect(page).toContain('<th scope="row">Keine Angabe</th>');
    expect(page.split('<h3>Verlängerungen der Hilfe</h3>')).toHaveLength(3);
  });

  it('shows goal 3 on its own: housing at closing for all households beside those with children, with a chart', () => {
    const start = page.indexOf('<section class="scope" id="goal-3">');
    expect(start).toBeGreaterThan(page.indexOf('<section class="scope" id="all">'));
    expect(start).toBeLessThan(page.indexOf('<section class="scope page-break" id="withChildren">'));
    const section = page.slice(start, page.indexOf('</section>', start));
    expect(section).toContain('<h2>Ziel 3: Keine Wohnungslosigkeit, vor allem nicht für Familien mit Kindern</h2>');
    expect(section).toContain(
      '<th scope="colgroup" colspan="2" class="num">Alle Haushalte</th><th scope="colgroup" colspan="2" class="num">Familien mit Kindern</th>',
    );
    // 2023: six households with children closed in their own tenancy; 2024: no closures
    expect(rowOf(section, 'Eigenes Mietverhältnis')).toBe(
      '<th scope="row">Eigenes Mietverhältnis</th><td class="num">0</td><td class="num">6</td><td class="num">0</td><td class="num">6</td>',
    );
    expect(rowOf(section, 'Wohnungslos')).toContain('<td class="num">0</td>');
    expect(rowOf(section, 'Beendete Hilfen insgesamt')).toContain('<td class="num">0</td><td class="num">6</td>');
    expect(section).toContain('<text x="296" y="14">Alle Haushalte</text>');
    expect(section).toContain('Eigenes Mietverhältnis: Alle Haushalte 0, Familien mit Kindern 0');
  });

  it('formats numbers the German way: decimal comma, "83,3 %", changes in percentage points', () => {
    const html = renderAnnualReportHtml(
      edited((current, previous) => {
        current.visits.householdMetShare = 5 / 6;
        previous.visits.householdMetShare = 0.5;
        current.closures.medianDaysApprovalToClose = 128.5;
      }),
    );
    expect(rowOf(html, 'Anteil mit angetroffenem Haushalt')).toContain(
      '<td class="num">83,3 %</td><td class="num">50,0 %</td><td class="num">+33,3 Pp.</td>',
    );
    expect(rowOf(html, 'Hilfedauer in Tagen (Median)')).toContain('<td class="num">128,5</td>');
  });

  it('escapes every text: a malicious-looking code is shown, not run', () => {
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const html = renderAnnualReportHtml(
      edited((current) => {
        current.referrals.bySource = { ...(current.referrals.bySource as Record<string, PublishedCount>), [evil]: 9 };
      }),
    );
    expect(html).not.toMatch(/<script|<img/i);
    const shown = '&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;';
    expect(html).toContain(`<th scope="row">${shown}</th><td class="num">9</td><td class="num">0</td>`);
    expect(html).toContain(`${shown}: 9`); // in the chart's text alternative
  });
});

describe('escapeHtml and German number formats', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('formats numbers, percentages and changes', () => {
    expect(formatPercentDe(5 / 6)).toBe('83,3 %');
    expect(formatPercentDe(1)).toBe('100,0 %');
    expect(formatNumberDe(12345.25, 1)).toBe('12.345,3');
    expect(formatDecimal(-0.5, 2, '.')).toBe('-0.5');
    expect(formatDecimal(-0.001, 2, ',')).toBe('0');
    expect(formatChangeDe('count', 3, 7, 'Pp.')).toBe('\u22124');
    expect(formatChangeDe('count', 7, 7, 'Pp.')).toBe('±0');
    expect(formatChangeDe('count', '<5', 7, 'Pp.')).toBeNull();
    expect(formatChangeDe('share', 0.6, null, 'Pp.')).toBeNull();
  });
});

describe('renderAnnualReportHtml: the help plan', () => {
  const section = page.slice(page.indexOf('<section class="block" id="all-helpPlans">'), page.indexOf('id="goal-3"'));

  it('is a block of all households (and of families), with the share achieved by who acts and the household’s view', () => {
    expect(page).toContain('<section class="block" id="withChildren-helpPlans">');
    expect(section).toContain('<h3>Hilfeplanung: Beteiligung und Hilfe zur Selbsthilfe</h3>');
    expect(rowOf(section, 'Betreute Haushalte mit Hilfeplan')).toContain('<td class="num">7</td><td class="num">0</td>');
    const shares = section.slice(section.indexOf('Anteil erreichter Ziele nach Handelnden'));
    // the household's own goals: 7 of 7 achieved; no other actor settled a goal, so no share
    expect(rowOf(shares, 'Haushalt selbst')).toContain('<td class="num">100,0 %</td>');
    expect(rowOf(shares, 'Fachkraft')).toContain('class="withheld"');
    const views = section.slice(section.indexOf('Sicht des Haushalts'));
    expect(rowOf(views, 'Teilweise zufrieden')).toContain('<td class="num">7</td>');
  });
});
