import type { DetailsChangeReason, RestrictionReason } from '@wih/domain';
import { formatDateDe, formatInstantDe, LABELS_DE, renderPdfDocument } from '@wih/evaluation';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { isErasedCase, type AccessReport, type DetailsRecord, type ReportCase, type ReportHousehold } from './access-report';

/**
 * The access report as an A4 PDF in German, for handing to the household (decision 0033): a title,
 * the date of issue, then one section per kind of data. Rendered with pdfmake like the annual
 * report, on the evaluation thread (the API's event loop never lays out a document).
 */

export const ACCESS_REPORT_TITLE_DE = 'Auskunft über die gespeicherten Daten';

const codes = LABELS_DE.codes;
const DETAILS_REASON_DE: { readonly [R in DetailsChangeReason]: string } = {
  moved: 'Umzug',
  new_phone: 'Neue Telefonnummer',
  correction: 'Berichtigung',
};
const RESTRICTION_REASON_DE: { readonly [R in RestrictionReason]: string } = {
  accuracy_contested: 'Richtigkeit bestritten',
  unlawful_processing: 'Unrechtmäßige Verarbeitung',
  needed_for_legal_claims: 'Zur Geltendmachung von Rechtsansprüchen benötigt',
  objection_pending: 'Widerspruch wird geprüft',
};
const STATUS_DE: { readonly [S in ReportCase['status']]: string } = {
  referred: 'Angefragt',
  active: 'In Betreuung',
  rejected: 'Abgelehnt',
  closed: 'Abgeschlossen',
};
const ACTION_DE: Readonly<Record<string, string>> = {
  detail: 'Fallakte angesehen',
  timeline: 'Verlauf angesehen',
  caseload: 'In einer Fallliste angezeigt',
  'access-report': 'Auskunft erstellt',
};
const ROLE_DE: Readonly<Record<string, string>> = {
  caseworker: 'Fachkraft',
  fachstelle: 'Fachstelle Wohnen',
  admin: 'Administration',
  evaluator: 'Auswertung',
};

/** A code's German label; a code without one (never expected) is shown as stored. */
const label = (table: Readonly<Record<string, string>>, code: string): string => table[code] ?? code;
const labels = (table: Readonly<Record<string, string>>, list: readonly string[]): string =>
  list.length ? list.map((code) => label(table, code)).join(', ') : 'keine';
const date = (value: string | null): string => (value === null ? '–' : formatDateDe(value));
const yesNo = (value: boolean): string => (value ? 'ja' : 'nein');

const h2 = (text: string): Content => ({ text, style: 'h2' });
const h3 = (text: string): Content => ({ text, style: 'h3' });
const none = (text: string): Content => ({ text, color: '#555555', margin: [0, 0, 0, 6] });
const pairs = (rows: readonly (readonly [string, string])[]): Content => ({
  table: { widths: [150, '*'], body: rows.map(([k, v]): TableCell[] => [{ text: k, bold: true }, v]) },
  layout: 'lightHorizontalLines',
  style: 'table',
});
const table = (head: readonly string[], rows: readonly (readonly string[])[], empty: string): Content =>
  rows.length === 0
    ? none(empty)
    : {
        table: {
          headerRows: 1,
          widths: head.map(() => '*'),
          body: [head.map((text): TableCell => ({ text, style: 'tableHead' })), ...rows.map((row) => [...row])],
        },
        layout: 'lightHorizontalLines',
        style: 'table',
      };
const notes = (text: string | null): string => text ?? '–';

const householdRows = (h: Partial<ReportHousehold>): [string, string][] => [
  ...(h.name !== undefined ? [['Name', h.name] as [string, string]] : []),
  ...(h.address !== undefined ? [['Anschrift', h.address] as [string, string]] : []),
  ...(h.phone !== undefined ? [['Telefon', h.phone ?? '–'] as [string, string]] : []),
];

const historyEntry = (record: DetailsRecord): Content[] => [
  h3(
    record.kind === 'referral'
      ? `${date(record.on)}: bei der Anfrage angegeben`
      : `${date(record.on)}: geändert (${label(DETAILS_REASON_DE, record.reason)})`,
  ),
  pairs(householdRows(record.household)),
];

const caseContent = (c: ReportCase, n: number): Content[] => {
  const r = c.referral;
  const decision: [string, string][] =
    c.decision.kind === 'pending'
      ? [['Entscheidung', 'noch nicht entschieden']]
      : c.decision.kind === 'approved'
        ? [
            ['Bewilligt am', date(c.decision.approvedOn)],
            ['Zuständige Fachkraft', c.decision.assignedCaseworkerId],
            ['Besuchsabstand', `${c.decision.visitIntervalDays} Tage`],
            ['Geplantes Ende', date(c.decision.plannedEndOn)],
          ]
        : [
            ['Abgelehnt am', date(c.decision.rejectedOn)],
            ['Grund', label(codes.rejectionReason, c.decision.reason)],
            ['Notiz', notes(c.decision.notes)],
          ];
  return [
    h2(`Fall ${n}: ${STATUS_DE[c.status]}`),
    pairs([
      ['Fallnummer', c.caseId],
      ['Anfrage vom', date(r.receivedOn)],
      ['Anfrage durch', label(codes.referralSource, r.referralSource)],
      ['Zielgruppe', label(codes.targetGroup, r.targetGroup)],
      ['Wohnsituation', label(codes.housingSituation, r.housingSituation)],
      ['Gründe der Gefährdung', labels(codes.threatCause, r.threatCauses)],
      ['Erwachsene / Kinder', `${r.adults} / ${r.children}`],
      ['Bestehende Hilfen', labels(codes.existingAid, r.existingAid)],
      ['Einwilligung', yesNo(r.consentGiven)],
      ['Notiz zur Anfrage', notes(r.notes)],
      ...decision,
      ...c.extensions.map((e): [string, string] => [
        `Verlängert am ${date(e.extendedOn)}`,
        `bis ${date(e.plannedEndOn)} (${label(codes.extensionReason, e.reason)})`,
      ]),
      ...c.reassignments.map((e): [string, string] => [`Neue Fachkraft ab ${date(e.reassignedOn)}`, e.caseworkerId]),
      ...(c.housingSecured
        ? [
            ['Wohnung gesichert', `${date(c.housingSecured.securedOn)}: ${label(codes.housingOutcome, c.housingSecured.outcome)}`] as [
              string,
              string,
            ],
          ]
        : []),
      ...(c.closure
        ? ([
            ['Abgeschlossen am', date(c.closure.closedOn)],
            ['Grund des Abschlusses', label(codes.closingReason, c.closure.reason)],
            ['Wohnsituation beim Abschluss', label(codes.housingAtClose, c.closure.housingAtClose)],
            ['Notiz zum Abschluss', notes(c.closure.notes)],
          ] as [string, string][])
        : []),
    ]),
    h3('Hausbesuche'),
    table(
      ['Datum', 'Angetroffen', 'Anliegen', 'Notiz'],
      c.visits.map((v) => [date(v.visitedOn), yesNo(v.householdMet), labels(codes.visitConcern, v.concerns), notes(v.notes)]),
      'Keine Hausbesuche.',
    ),
    h3('Vermittlungen'),
    table(
      ['Datum', 'Art', 'Einrichtung', 'Notiz'],
      c.mediations.map((m) => [
        date(m.mediatedOn),
        label(codes.mediationKind, m.kind),
        m.institutionKind === null ? '–' : label(codes.institutionKind, m.institutionKind),
        notes(m.notes),
      ]),
      'Keine Vermittlungen.',
    ),
    h3('Hilfeplan und Ziele'),
    ...(c.helpPlans.length === 0
      ? [none('Kein Hilfeplan.')]
      : c.helpPlans.flatMap((plan): Content[] => [
          {
            text: `Hilfeplan vom ${date(plan.agreedOn)} (Haushalt beteiligt: ${yesNo(plan.householdParticipated)}); Notiz: ${notes(plan.notes)}`,
            margin: [0, 2, 0, 2],
          },
          table(
            ['Ziel', 'Bereich', 'Wer handelt', 'Überprüfung', 'Überprüfungen'],
            plan.goals.map((g) => [
              g.wording ?? '–',
              label(codes.goalArea, g.area),
              label(codes.goalActor, g.actor),
              date(g.reviewOn),
              g.reviews.length === 0
                ? '–'
                : g.reviews
                    .map(
                      (rv) =>
                        `${date(rv.reviewedOn)}: ${label(codes.goalStatus, rv.status)}, ${label(codes.householdView, rv.householdView)}` +
                        (rv.notes ? ` (${rv.notes})` : ''),
                    )
                    .join('\n'),
            ]),
            'Keine Ziele.',
          ),
        ])),
  ];
};

/** The document definition: plain data, so a test can read what will be drawn. */
export const accessReportPdfDefinition = (report: AccessReport): TDocumentDefinitions => {
  const issued = `Erstellt am ${formatInstantDe(report.issuedAt)}`;
  const intro: Content[] = [
    { text: ACCESS_REPORT_TITLE_DE, style: 'h1' },
    { text: 'nach Art. 15 DSGVO und § 83 SGB X', style: 'meta' },
    { text: issued, style: 'meta' },
    { text: `Haushaltsnummer ${report.householdId}`, style: 'meta' },
  ];
  const body: Content[] = report.erased
    ? [
        h2('Gelöschte Daten'),
        {
          text:
            `Die personenbezogenen Daten dieses Haushalts wurden am ${date(report.erased.erasedOn)} gelöscht. ` +
            'Es sind keine personenbezogenen Daten mehr gespeichert.',
        },
      ]
    : [
        h2('Kontaktdaten'),
        ...(report.household?.current
          ? [h3('Aktuell'), pairs(householdRows(report.household.current))]
          : [none('Keine lesbaren Kontaktdaten.')]),
        h2('Frühere und geänderte Kontaktdaten'),
        ...(report.household?.history ?? []).flatMap(historyEntry),
        ...report.cases.flatMap((c, i): Content[] =>
          isErasedCase(c)
            ? [h2(`Fall ${i + 1}`), { text: `Die personenbezogenen Daten dieses Falls wurden am ${date(c.erasedOn)} gelöscht.` }]
            : caseContent(c, i + 1),
        ),
        h2('Einschränkung der Verarbeitung'),
        table(
          ['Eingeschränkt seit', 'Grund', 'Aufgehoben am'],
          report.restrictions.map((r) => [date(r.restrictedOn), label(RESTRICTION_REASON_DE, r.reason), date(r.liftedOn)]),
          'Die Verarbeitung war nie eingeschränkt.',
        ),
        h2('Wer die Daten gelesen hat'),
        table(
          ['Zeitpunkt', 'Benutzerkennung', 'Rolle', 'Vorgang', 'Fallnummer'],
          report.reads.map((r) => [formatInstantDe(r.at), r.userId, label(ROLE_DE, r.role), label(ACTION_DE, r.action), r.caseId]),
          'Keine Zugriffe verzeichnet.',
        ),
        h2('Speicherdauer'),
        {
          text: report.retention?.erasureDueOn
            ? `Die personenbezogenen Daten werden am ${date(report.retention.erasureDueOn)} automatisch gelöscht.`
            : 'Die Daten werden gespeichert, solange ein Fall offen ist; die Löschfrist beginnt mit dem Abschluss.',
        },
      ];
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [42.5, 48, 42.5, 48],
    language: 'de',
    info: {
      title: ACCESS_REPORT_TITLE_DE,
      subject: 'Auskunft nach Art. 15 DSGVO',
      producer: 'pdfmake',
      creationDate: new Date(report.issuedAt),
      modDate: new Date(report.issuedAt),
    },
    displayTitle: true,
    footer: (current, pages) => ({
      text: `Seite ${current} von ${pages}`,
      alignment: 'center',
      fontSize: 8,
      color: '#555555',
      margin: [0, 16, 0, 0],
    }),
    defaultStyle: { font: 'Roboto', fontSize: 9, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 18, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 13, bold: true, color: '#1d5b87', margin: [0, 12, 0, 6] },
      h3: { fontSize: 10.5, bold: true, margin: [0, 8, 0, 4] },
      meta: { color: '#444444', margin: [0, 0, 0, 1] },
      tableHead: { bold: true },
      table: { margin: [0, 2, 0, 8] },
    },
    content: [...intro, ...body],
  };
};

export const renderAccessReportPdf = (report: AccessReport): Promise<Buffer> => renderPdfDocument(accessReportPdfDefinition(report));
