import { entry } from '../testing';
import { ACCESS_CSV_HEADER, toAccessCsv } from './csv';

describe('access log CSV', () => {
  it('writes one CRLF row per entry in the header order', () => {
    const e = entry({ id: 'id-1', userId: 'anna', caseId: 'case-1', at: '2026-03-01T09:00:00.000Z' });
    expect(ACCESS_CSV_HEADER).toBe('id,at,userId,role,caseId,action\r\n');
    expect(
      toAccessCsv([e, { ...e, id: 'id-2', action: 'timeline' }, { ...e, id: 'id-3', role: 'fachstelle', action: 'access-report' }]),
    ).toBe(
      'id-1,2026-03-01T09:00:00.000Z,anna,caseworker,case-1,detail\r\nid-2,2026-03-01T09:00:00.000Z,anna,caseworker,case-1,timeline\r\n' +
        'id-3,2026-03-01T09:00:00.000Z,anna,fachstelle,case-1,access-report\r\n',
    );
  });

  it('quotes separators and quotes, and keeps a spreadsheet from running a user id as a formula', () => {
    expect(toAccessCsv([entry({ id: 'x', userId: 'a,"b"', caseId: 'c', at: '2026-03-01T09:00:00.000Z' })])).toBe(
      'x,2026-03-01T09:00:00.000Z,"a,""b""",caseworker,c,detail\r\n',
    );
    expect(toAccessCsv([entry({ id: 'x', userId: '=HYPERLINK(1)', caseId: 'c', at: '2026-03-01T09:00:00.000Z' })])).toBe(
      "x,2026-03-01T09:00:00.000Z,'=HYPERLINK(1),caseworker,c,detail\r\n",
    );
  });

  it('quotes a semicolon (German Excel splits on it), and guards a formula behind it', () => {
    const row = (userId: string) => toAccessCsv([entry({ id: 'x', userId, caseId: 'c', at: '2026-03-01T09:00:00.000Z' })]);
    expect(row('a;=cmd|x')).toBe('x,2026-03-01T09:00:00.000Z,"a;=cmd|x",caseworker,c,detail\r\n');
    expect(row('=1;2')).toBe(`x,2026-03-01T09:00:00.000Z,"'=1;2",caseworker,c,detail\r\n`);
    expect(['+1', '-1', '@x', '\tx', '\rx'].map(row).map((line) => line.split(',')[2])).toEqual(["'+1", "'-1", "'@x", "'\tx", `"'\rx"`]);
  });
});
