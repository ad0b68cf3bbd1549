import type { CaseDetail, PlanGoal } from '../api/schemas';
import type { Role } from '../auth/roles';
import { goalText } from '../forms/goals';
import { actionOfHash, caseFormPath } from './case-anchors';
import { actionsFor, approvalObstacles } from './CaseActions';
import { caseTitle, personalData } from './CaseDetailList';
import { referralFacts } from './CaseTimeline';
import { figures } from './stats-view';

const detail = (status: CaseDetail['status'], housingSecured: CaseDetail['housingSecured'] = null, more: Partial<CaseDetail> = {}) =>
  ({ status, housingSecured, restricted: false, household: { name: 'N', address: 'A', phone: null }, ...more }) as CaseDetail;
const ids = (status: CaseDetail['status'], roles: Role[], secured = false, more: Partial<CaseDetail> = {}) =>
  actionsFor(detail(status, secured ? { securedOn: '2025-05-01', outcome: 'other' } : null, more), roles).map((a) => a.id);

describe('what a person may record on a case', () => {
  it('offers the Fachstelle the decision on a referral, and the caseworker nothing yet', () => {
    expect(ids('referred', ['fachstelle'])).toEqual(['approval', 'rejection', 'details', 'restriction']);
    expect(ids('referred', ['caseworker'])).toEqual(['details']);
  });

  it('offers each role its commands on an active case; housing secured only once', () => {
    expect(ids('active', ['caseworker'])).toEqual(['plan', 'visit', 'mediation', 'housing', 'closure', 'details']);
    expect(ids('active', ['caseworker'], true)).toEqual(['plan', 'visit', 'mediation', 'closure', 'details']);
    expect(ids('active', ['fachstelle'])).toEqual(['extension', 'reassignment', 'closure', 'details', 'restriction']);
    expect(ids('active', ['evaluator', 'admin'])).toEqual([]);
  });

  it('offers only the correction of the details and the restriction on a closed or rejected case', () => {
    expect(ids('closed', ['caseworker'])).toEqual(['details']);
    expect(ids('rejected', ['fachstelle'])).toEqual(['details', 'restriction']);
  });

  it('while processing is restricted offers only the closure and, to the Fachstelle, lifting the restriction', () => {
    expect(ids('active', ['caseworker'], false, { restricted: true, household: { restricted: true } })).toEqual(['closure']);
    expect(ids('active', ['fachstelle'], false, { restricted: true })).toEqual(['closure', 'lift']);
  });

  it('offers no plan, details or restriction once the personal data is erased', () => {
    expect(ids('active', ['caseworker'], false, { household: { erased: true } })).toEqual(['visit', 'mediation', 'housing', 'closure']);
    expect(ids('active', ['fachstelle'], false, { household: { erased: true } })).toEqual(['extension', 'reassignment', 'closure']);
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

describe('the household on the case page', () => {
  const withHousehold = (household: CaseDetail['household']) => ({ household }) as CaseDetail;
  it('shows the name when the reader may see it, and says why not when erased or withheld while restricted', () => {
    expect(caseTitle(withHousehold({ name: 'Familie A', address: 'Weg 1', phone: null }))).toBe('Fall: Familie A');
    expect(caseTitle(withHousehold({ erased: true }))).toBe('Fall (personenbezogene Daten gelöscht)');
    expect(caseTitle(withHousehold({ restricted: true }))).toBe('Fall (Verarbeitung eingeschränkt)');
    expect(personalData({ restricted: true })).toBeNull();
  });
});

describe('the help plan and the newer forms on the case page', () => {
  const goal = (wording: PlanGoal['wording']) => ({ wording }) as PlanGoal;
  it("shows a goal's wording, or why not: erased, or withheld while processing is restricted", () => {
    expect(goalText(goal('Mietschulden klären'))).toBe('Mietschulden klären');
    expect(goalText(goal({ erased: true }))).toBe('(Formulierung gelöscht)');
    expect(goalText(goal({ restricted: true }))).toBe('(Formulierung eingeschränkt)');
  });

  it('names the help plan, details, restriction and lifting forms in the address', () => {
    expect(['#hilfeplan', '#kontaktdaten', '#einschraenkung', '#aufhebung'].map(actionOfHash)).toEqual([
      'plan',
      'details',
      'restriction',
      'lift',
    ]);
    expect(caseFormPath('c1', 'plan')).toBe('/faelle/c1#hilfeplan');
  });
});

describe('a block of the statistics, as the document declares it (Figures)', () => {
  const block = figures({
    total: 12,
    withChildren: '<5',
    share: 0.5,
    median: null,
    bySource: { jobcenter: 7, self: 'suppressed', nested: { odd: 1 } },
    windows: { '6m': { eligible: 'suppressed', share: null } },
  });
  it('reads counts, numbers, breakdowns and nested blocks by name', () => {
    expect([block.count('total'), block.count('withChildren'), block.number('share'), block.number('median')]).toEqual([
      12,
      '<5',
      0.5,
      null,
    ]);
    expect(block.breakdown('bySource')).toEqual({ jobcenter: 7, self: 'suppressed' });
    expect([block.nested('windows').nested('6m').count('eligible'), block.nested('windows').nested('6m').number('share')]).toEqual([
      'suppressed',
      null,
    ]);
  });
  it('shows a missing figure, or one of another shape, as not published rather than guessing', () => {
    expect([block.count('absent'), block.count('bySource'), block.number('withChildren')]).toEqual([null, null, null]);
    expect(block.breakdown('total')).toEqual({});
    expect(block.nested('absent').count('total')).toBeNull();
  });
});
