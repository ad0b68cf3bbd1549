import type { CaseDetail, Role } from '../api/types';
import { actionsFor, approvalObstacles } from './CaseActions';
import { referralFacts } from './CaseTimeline';

const detail = (status: CaseDetail['status'], housingSecured: CaseDetail['housingSecured'] = null) =>
  ({ status, housingSecured }) as CaseDetail;
const ids = (status: CaseDetail['status'], roles: Role[], secured = false) =>
  actionsFor(detail(status, secured ? { securedOn: '2025-05-01', outcome: 'other' } : null), roles).map((a) => a.id);

describe('what a person may record on a case', () => {
  it('offers the Fachstelle the decision on a referral, and the caseworker nothing yet', () => {
    expect(ids('referred', ['fachstelle'])).toEqual(['approval', 'rejection']);
    expect(ids('referred', ['caseworker'])).toEqual([]);
  });

  it('offers each role its commands on an active case; housing secured only once', () => {
    expect(ids('active', ['caseworker'])).toEqual(['visit', 'mediation', 'housing', 'closure']);
    expect(ids('active', ['caseworker'], true)).toEqual(['visit', 'mediation', 'closure']);
    expect(ids('active', ['fachstelle'])).toEqual(['extension', 'reassignment', 'closure']);
    expect(ids('active', ['evaluator', 'admin'])).toEqual([]);
  });

  it('offers nothing on a closed or rejected case', () => {
    expect(ids('closed', ['caseworker', 'fachstelle'])).toEqual([]);
    expect(ids('rejected', ['caseworker', 'fachstelle'])).toEqual([]);
  });
});

describe('the referral facts the Fachstelle decides on', () => {
  it('names missing consent and installed comparable aid as obstacles to approval', () => {
    expect(approvalObstacles({ consentGiven: false, existingAid: ['sgb_viii'] })).toEqual([
      'Der Haushalt hat nicht eingewilligt (die Hilfe ist freiwillig).',
      'Eine vergleichbare Hilfe ist installiert: Hilfe nach SGB VIII.',
    ]);
    expect(approvalObstacles({ consentGiven: true, existingAid: [] })).toEqual([]);
    expect(approvalObstacles(undefined)).toEqual([]);
  });

  it('lists threat causes, comparable aid and consent in words', () => {
    expect(referralFacts({ threatCauses: ['rent_arrears', 'health'], existingAid: [], consentGiven: true })).toEqual([
      'Gründe der Wohnungsgefährdung: Mietschulden, Gesundheitliche Gründe',
      'Einwilligung liegt vor',
    ]);
  });
});
