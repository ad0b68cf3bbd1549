import 'reflect-metadata';
import { AccessLogController } from '../access-log/access-log.controller';
import { CasesController } from '../cases/cases.controller';
import { HouseholdsController } from '../households/households.controller';
import { QueriesController } from '../queries/queries.controller';
import { loggedPath, routeWordsOf } from './logging';

describe('logged request paths', () => {
  const words = routeWordsOf([CasesController, QueriesController, HouseholdsController, AccessLogController]);
  const caseId = '0b0e8f7c-3c5e-4a57-9a57-2c7f0e0c1a11';

  it("knows the literal segments of the controllers' routes, not their parameters", () => {
    expect([...words]).toEqual(
      expect.arrayContaining([
        'api',
        'cases',
        'timeline',
        'caseload',
        'visits',
        'households',
        'personal-data',
        'admin',
        'access-log',
        'docs',
      ]),
    );
    expect([...words].filter((w) => w.startsWith(':'))).toEqual([]);
  });

  it('keeps route words, ids and numbers, and drops the query', () => {
    expect(loggedPath(`/api/cases/${caseId}/timeline?minPosition=12`, words)).toBe(`/api/cases/${caseId}/timeline`);
    expect(loggedPath('/api/caseload?q=Familie%20Muster', words)).toBe('/api/caseload');
    expect(loggedPath('/metrics', routeWordsOf([]))).toBe('/*');
  });

  it('replaces any other segment, such as a name where an id belongs', () => {
    expect(loggedPath('/api/cases/Familie%20Muster/timeline', words)).toBe('/api/cases/*/timeline');
    expect(loggedPath('/api/Musterweg%201,%2050667%20K%C3%B6ln', words)).toBe('/api/*');
    expect(loggedPath('/api/households/mueller/personal-data', words)).toBe('/api/households/*/personal-data');
  });
});
