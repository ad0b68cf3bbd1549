import { entry } from '../testing';
import { ACCESS_CSV_HEADER, toAccessCsv } from './csv';

describe('access log CSV', () => {
  it('writes one CRLF row per entry in the header order', () => {
    const e = entry({ id: 'id-1', userId: 'anna', caseId: 'case-1', at: '2026-03-01T09:00:00.000Z' });
    expect(ACCESS_CSV_HEADER).toBe('id,at,userId,role,caseId,action\r\n');
    expect(toAccessCsv([e, { ...e, id: 'id-2', action: 'timeline' }])).toBe(
      'id-1,2026-03-01T09:00:00.000Z,anna,caseworker,case-1,detail\r\nid-2,2026-03-01T09:00:00.000Z,anna,caseworker,case-1,timeline\r\n');
  });

  it('quotes separators and quotes, and keeps a spreadsheet from running a user id as a formula', () => {
    expect(toAccessCsv([entry({ id: 'x', userId: 'a,"b"', caseId: 'c', at: '2026-03-01T09:00:00.000Z' })])).toBe('x,2026-03-01T09:00:00.000Z,"a,""b""",caseworker,c,detail\r\n');
    expect(toAccessCsv([entry({ id: 'x', userId: '=HYPERLINK(1)', caseId: 'c', at: '2026-03-01T09:00:00.000Z' })])).toBe("x,2026-03-01T09:00:00.000Z,'=HYPERLINK(1),caseworker,c,detail\r\n");
  });
});
