import type { PublishedCount } from '../anonymise';
import { caseExportRows, type CaseExportRow } from '../case-export';
import { annualReport, type AnnualReport } from './annual-report';
import { CASE_EXPORT_COLUMNS, csvField, guardFormula, renderAnnualReportCsv, renderCaseExportCsv } from './csv';
import { renderAnnualReportHtml } from './html';
import { reportRows } from './rows';
import { AS_OF, GENERATED_AT, PLANTED, reportFacts, YEAR } from './testing';

const facts = reportFacts();
const report = annualReport(facts, YEAR, AS_OF, GENERATED_AT);
const comma = renderAnnualReportCsv(report);
const semicolon = renderAnnualReportCsv(report, { separator: ';' });

/** The lines without BOM and the empty string after the final CRLF. */
const linesOf = (csv: string): string[] => csv.slice(1).split('\r\n').slice(0, -1);

type Blocks = Record<string, Record<string, unknown>>;
const edited = (edit: (current: Blocks) => void): AnnualReport => {
  const copy = structuredClone(report);
  edit(copy.current as unknown as Blocks);
  return copy;
};
/** The report with an extra referral-source code (a code this version has no label for). */
const withCode = (code: string): AnnualReport =>
  edited((current) => {
    current.referrals.bySource = { ...(current.referrals.bySource as Record<string, PublishedCount>), [code]: 5 };
  });

const exportRows = caseExportRows(
  facts,
  { from: '2024-01-01', to: '2024-12-31', asOf: AS_OF },
  (caseId) => `P-${caseId.length}-${caseId.slice(-1)}`,
);

describe('CSV encoding', () => {
  it('starts with a BOM and ends every line with CRLF', () => {
    for (const csv of [comma, semicolon, renderCaseExportCsv(exportRows)]) {
      expect(csv.startsWith('\uFEFF')).toBe(true);
      expect(csv.indexOf('\uFEFF', 1)).toBe(-1);
      expect(csv.endsWith('\r\n')).toBe(true);
      expect(csv).not.toMatch(/[^\r]\n/);
    }
  });

  it('quotes a field with the separator, a quote or a line break (RFC 4180) and doubles its quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    // Either separator is quoted, whichever the file uses: German Excel splits a comma file on ';'.
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('plain')).toBe('plain');
    // A decimal-comma number stays a bare number in a ';' file; in a ',' file the same text is quoted.
    expect(csvField('0,5', ';')).toBe('0,5');
    expect(csvField('0,5', ',')).toBe('"0,5"');
    expect(csvField('a,b', ';')).toBe('"a,b"');
  });

  it('guards against formula injection, but leaves plain numbers alone', () => {
    expect(['=SUM(A1)', '+A1', '-A1', '@cmd', '\t=1'].map(guardFormula)).toEqual(["'=SUM(A1)", "'+A1", "'-A1", "'@cmd", "'\t=1"]);
    expect(['-3', '+4', '-0,5', '-0.25', '12', 'text'].map(guardFormula)).toEqual(['-3', '+4', '-0,5', '-0.25', '12', 'text']);
    // guarded first, then quoted: the apostrophe sits inside the quotes
    expect(csvField('=1,2')).toBe(`"'=1,2"`);
  });
});

describe('renderAnnualReportCsv: long format, one line per figure', () => {
  it('has a header of stable column names with the two years', () => {
    expect(linesOf(comma)[0]).toBe('block,metric,code,label,2024,2023');
    expect(linesOf(semicolon)[0]).toBe('block;metric;code;label;2024;2023');
  });

  it('gives stable codes and a German label; hidden counts as "<5" and "suppressed"; withheld figures empty', () => {
    const lines = linesOf(comma);
    expect(lines).toContain('referrals,total,,Zugänge – Zugänge insgesamt,15,6');
    expect(lines).toContain('referrals,bySource,self,Zugänge – Zugänge nach Zugangsweg: Selbstmelder/innen,<5,0');
    expect(lines).toContain(
      'referrals,bySource,social_office,Zugänge – Zugänge nach Zugangsweg: Amt für Soziales und Senioren,suppressed,6',
    );
    expect(lines).toContain('closures,medianDaysApprovalToClose,,Beendete Hilfen – Hilfedauer in Tagen (Median),,203');
    expect(lines).toContain(
      'repeatCases,repeated,6m,Nachhaltigkeit: Wiederholungsfälle – 6 Monate: Erneut angefragt (Wiederholungsfälle),0,<5',
    );
    expect(lines).toContain('withChildren.referrals,total,,Familien mit Kindern – Zugänge – Zugänge insgesamt,8,6');
  });

  it('follows with the activities beyond single cases: totals, then count and hours per code, published as they are', () => {
    const lines = linesOf(comma);
    const activities = lines.filter((line) => line.startsWith('activities,'));
    // after every household row
    expect(lines.indexOf(activities[0])).toBe(lines.length - activities.length);
    expect(activities.slice(0, 3)).toEqual([
      'activities,total,,Einzelfallübergreifende Tätigkeiten – Tätigkeiten insgesamt,2,1',
      'activities,hours,,Einzelfallübergreifende Tätigkeiten – Stunden insgesamt,3.75,6',
      'activities,participants,,Einzelfallübergreifende Tätigkeiten – Teilnehmende insgesamt,22,1',
    ]);
    expect(activities).toContain(
      'activities,byKind.count,networking,Einzelfallübergreifende Tätigkeiten – Tätigkeiten nach Art: Vernetzung im Sozialraum – Anzahl,1,0',
    );
    expect(activities).toContain(
      'activities,byKind.hours,training,Einzelfallübergreifende Tätigkeiten – Tätigkeiten nach Art: Fortbildung – Stunden,0,6',
    );
    // one activity with two partners counts under each
    expect(activities).toContain(
      'activities,byPartner.count,jobcenter,Einzelfallübergreifende Tätigkeiten – Tätigkeiten nach Partner: Jobcenter – Anzahl,1,0',
    );
    expect(activities).toContain(
      'activities,byPartner.hours,housing_company,Einzelfallübergreifende Tätigkeiten – Tätigkeiten nach Partner: Wohnungsbaugesellschaften – Stunden,2.5,0',
    );
    expect(activities).toContain(
      'activities,byDistrict.count,muelheim,Einzelfallübergreifende Tätigkeiten – Tätigkeiten nach Stadtbezirk: Mülheim – Anzahl,1,0',
    );
    expect(linesOf(semicolon)).toContain('activities;hours;;Einzelfallübergreifende Tätigkeiten – Stunden insgesamt;3,75;6');
  });

  it('lists the figures "nach Art" in the order of the report rows, for both scopes', () => {
    const lines = linesOf(comma);
    expect(lines).toContain(
      'referrals,byThreatCause,rent_arrears,Zugänge – Zugänge nach Ursache der Wohnungsgefährdung (Mehrfachnennung): Mietschulden,15,6',
    );
    expect(lines).toContain(
      'mediations,byInstitutionKind,not_recorded,Vermittlungen – Vermittlungen nach Art der Stelle: Keine Angabe,0,0',
    );
    expect(lines).toContain('extensions,byReason,new_crisis,Verlängerungen der Hilfe – Verlängerungen nach Grund: Neue Krise,0,0');
    expect(lines).toContain(
      'withChildren.closures,byHousingAtClose,own_tenancy,Familien mit Kindern – Beendete Hilfen – Beendete Hilfen nach Wohnsituation bei Beendigung: Eigenes Mietverhältnis,0,6',
    );
    const keys = lines
      .slice(1)
      .filter((line) => !line.startsWith('activities,'))
      .map((line) => line.split(',').slice(0, 3).join(','));
    const rows = reportRows(report).map((r) =>
      [r.scope === 'withChildren' ? `withChildren.${r.block}` : r.block, r.metric, r.code ?? ''].join(','),
    );
    expect(keys).toEqual(rows);
  });

  it('semicolon variant: decimal comma, and a field holding ";" is quoted', () => {
    const report = edited((current) => {
      current.visits.householdMetShare = 5 / 6;
      current.closures.medianDaysApprovalToClose = 128.5;
    });
    const semi = linesOf(renderAnnualReportCsv(report, { separator: ';' }));
    expect(semi).toContain('visits;householdMetShare;;Hausbesuche – Anteil mit angetroffenem Haushalt;0,8333;');
    expect(semi).toContain('closures;medianDaysApprovalToClose;;Beendete Hilfen – Hilfedauer in Tagen (Median);128,5;203');
    const plain = linesOf(renderAnnualReportCsv(report, { separator: ',' }));
    expect(plain).toContain('visits,householdMetShare,,Hausbesuche – Anteil mit angetroffenem Haushalt,0.8333,');
    expect(linesOf(renderAnnualReportCsv(withCode('a;b'), { separator: ';' }))).toContain(
      'referrals;bySource;"a;b";"Zugänge – Zugänge nach Zugangsweg: a;b";5;0',
    );
  });

  it('comma variant: commas and quotes are quoted, quotes doubled; a formula-like code is guarded', () => {
    expect(linesOf(renderAnnualReportCsv(withCode('x,"y"')))).toContain(
      'referrals,bySource,"x,""y""","Zugänge – Zugänge nach Zugangsweg: x,""y""",5,0',
    );
    expect(linesOf(renderAnnualReportCsv(withCode('=HYPERLINK(1)')))).toContain(
      "referrals,bySource,'=HYPERLINK(1),Zugänge – Zugänge nach Zugangsweg: =HYPERLINK(1),5,0",
    );
  });
});

describe('renderCaseExportCsv: one line per case', () => {
  it('has the stable column names of CaseExportRow as its header', () => {
    const lines = linesOf(renderCaseExportCsv(exportRows));
    expect(lines[0]).toBe(CASE_EXPORT_COLUMNS.join(','));
    expect(lines[0].split(',')).toHaveLength(18);
    expect(lines).toHaveLength(exportRows.length + 1);
  });

  it('writes categories and counts as given, booleans as true/false, null as an empty cell', () => {
    const row: CaseExportRow = {
      pseudonym: 'P-1',
      referralSource: 'jobcenter',
      targetGroup: 'committed_vacant',
      withChildren: true,
      repeatReferral: false,
      decision: 'approved',
      rejectionReason: null,
      receivedMonth: '2024-01',
      weeksToDecision: 1,
      weeksApprovalToClose: 10,
      visits: 2,
      mediations: 1,
      housingOutcome: 'own_tenancy_agreement',
      closingReason: 'goal_achieved',
      housingAtClose: 'own_tenancy',
      repeated6m: true,
      repeated12m: null,
      repeated24m: null,
    };
    const expected =
      'P-1,jobcenter,committed_vacant,true,false,approved,,2024-01,1,10,2,1,own_tenancy_agreement,goal_achieved,own_tenancy,true,,';
    expect(linesOf(renderCaseExportCsv([row]))[1]).toBe(expected);
    expect(linesOf(renderCaseExportCsv([row], { separator: ';' }))[1]).toBe(expected.replace(/,/g, ';'));
    expect(linesOf(renderCaseExportCsv([{ ...row, pseudonym: '=cmd|"/c calc"!A1' }]))[1]).toMatch(/^"'=cmd\|""\/c calc""!A1",jobcenter,/);
  });
});

describe('sanity', () => {
  it('a string only in ids and caseworker ids of the input never appears in any output', () => {
    expect(facts.cases.some((c) => c.caseId.includes(PLANTED) && c.householdId.includes(PLANTED))).toBe(true);
    const outputs = [
      comma,
      semicolon,
      renderAnnualReportHtml(report),
      renderCaseExportCsv(exportRows),
      renderCaseExportCsv(exportRows, { separator: ';' }),
    ];
    for (const output of outputs) expect(output).not.toContain(PLANTED);
  });
});
