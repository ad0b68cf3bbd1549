import { REPORT_SECTIONS, type ReportSection } from '@wih/domain';
import type { AnnualReport } from './annual-report';
import { formatInstantDe } from './format';
import { html, type Markup } from './markup';

/**
 * The provider's own text and the finalisation around the figures' model (which stays as
 * `annualReport` computes it): the published annual report of API.md's GET.
 */
export interface ReportText {
  readonly text: Readonly<Record<ReportSection, { readonly text: string; readonly revision: number }>>;
  readonly finalised: { readonly asOf: string; readonly finalisedAt: string; readonly figuresDigest: string } | null;
}

export type PublishedAnnualReport = AnnualReport & ReportText;

/** DOMAIN.md's headings of the text's sections, in the report's order. */
export const REPORT_SECTION_HEADINGS_DE: Readonly<Record<ReportSection, string>> = {
  focus_and_goals: 'Schwerpunkte und Ziele der Tätigkeit',
  current_development: 'Derzeitige Entwicklung vor Ort',
  future_development: 'Zukünftige Entwicklung',
  cooperation: 'Kooperationen',
};

/** Paragraphs at blank lines, each as its lines: the HTML and the PDF lay out the same pieces. */
export const textParagraphs = (text: string): string[][] =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => p.split('\n'));

/** Every piece escaped; line breaks kept. */
const paragraphs = (text: string): Markup[] =>
  textParagraphs(text).map((lines) => html`<p>${lines.map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`);

/** How an empty section reads: it says so rather than vanishing. */
export const EMPTY_SECTION_DE = '(noch kein Text)';

/** The header line of a finalised report (or of a draft). */
export const finalisationLineDe = ({ finalised }: ReportText): string =>
  finalised
    ? `Abgeschlossen am ${formatInstantDe(finalised.finalisedAt)}; Zahlen eingefroren (Prüfsumme SHA-256 ${finalised.figuresDigest})`
    : 'Entwurf: noch nicht abgeschlossen';

/** The text's sections, before the figures; an empty section says so rather than vanishing. */
export const reportTextMarkup = ({ text }: ReportText): Markup =>
  html`<section class="report-text" id="text">${REPORT_SECTIONS.map((section) => {
    const body = paragraphs(text[section].text);
    return html`<section id="text-${section}"><h2>${REPORT_SECTION_HEADINGS_DE[section]}</h2>${body.length ? body : html`<p class="withheld">${EMPTY_SECTION_DE}</p>`}</section>`;
  })}</section>`;

export const finalisationMarkup = (text: ReportText): Markup => html`<p class="meta">${finalisationLineDe(text)}</p>`;
