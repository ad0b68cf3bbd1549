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

/** Paragraphs at blank lines, line breaks kept; every piece escaped. */
const paragraphs = (text: string): Markup[] =>
  text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const lines = p.split('\n');
      return html`<p>${lines.map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`;
    });

/** The text's sections, before the figures; an empty section says so rather than vanishing. */
export const reportTextMarkup = ({ text }: ReportText): Markup =>
  html`<section class="report-text" id="text">${REPORT_SECTIONS.map((section) => {
    const body = paragraphs(text[section].text);
    return html`<section id="text-${section}"><h2>${REPORT_SECTION_HEADINGS_DE[section]}</h2>${body.length ? body : html`<p class="withheld">(noch kein Text)</p>`}</section>`;
  })}</section>`;

/** The header line of a finalised report (or of a draft). */
export const finalisationMarkup = ({ finalised }: ReportText): Markup =>
  finalised
    ? html`<p class="meta">Abgeschlossen am ${formatInstantDe(finalised.finalisedAt)}; Zahlen eingefroren (Prüfsumme SHA-256 ${finalised.figuresDigest})</p>`
    : html`<p class="meta">Entwurf: noch nicht abgeschlossen</p>`;
