import { DisclosureRiskError } from '@wih/evaluation';
import { toProblem } from './problem.filter';

describe('an answer that cannot be protected', () => {
  it('is refused with 422 not-publishable, naming no figure and no value', () => {
    const answer = toProblem(new DisclosureRiskError(['all.referrals.bySource.self']));
    expect(answer).toMatchObject({ status: 422, code: 'not-publishable' });
    expect(JSON.stringify(answer)).not.toContain('bySource');
  });
});
