import type { CaseEvent } from '@wih/domain';
import { casesProjection, caseIndexOf, type CaseDoc } from './cases.projection';
import { HOUSEHOLD, ev, fold, projected } from './testing/case-history';
import { timelineProjection, type TimelineDoc } from './timeline.projection';

/** HouseholdDetailsChanged in the read models (decision 0030). */
const caseDoc = (events: readonly CaseEvent[]) => fold(casesProjection, projected(events)) as CaseDoc;
const timeline = (events: readonly CaseEvent[]) => fold(timelineProjection, projected(events)) as TimelineDoc;
const moved = ev.detailsChanged({ address: 'Neusser Str. 40, 50670 Köln' });

describe('household details in the cases projection', () => {
  it('replaces the fields named and keeps the others', () => {
    expect(caseDoc([ev.received(), ev.approved(), moved]).household).toStrictEqual({
      name: HOUSEHOLD.name,
      address: 'Neusser Str. 40, 50670 Köln',
      phone: HOUSEHOLD.phone,
    });
  });

  it('adds a phone to a household that had none, and indexes the corrected name for the search', () => {
    const doc = caseDoc([
      ev.received({}, { household: { name: 'Familie Alt', address: 'Weg 1' } }),
      ev.detailsChanged({ phone: '0221 1' }, '2025-02-01', 'new_phone'),
      ev.detailsChanged({ name: 'Familie Öztürk-Neu' }, '2025-02-02', 'correction'),
    ]);
    expect(doc.household).toStrictEqual({ name: 'Familie Öztürk-Neu', address: 'Weg 1', phone: '0221 1' });
    expect(caseIndexOf(doc).householdName).toBe('familie öztürk-neu');
  });

  it('applies on a closed case too (a correction) and moves the revision', () => {
    const doc = caseDoc([
      ev.received(),
      ev.approved(),
      ev.closed(),
      ev.detailsChanged({ name: 'Familie Berichtigt' }, '2025-06-01', 'correction'),
    ]);
    expect(doc).toMatchObject({ status: 'closed', revision: 3, household: { name: 'Familie Berichtigt' } });
  });

  it('leaves an erased household erased, and an erasure after a change erases the new details', () => {
    const { personal: _unreadable, ...unreadable } = moved;
    expect(caseDoc([ev.received(), ev.erased('2025-02-01'), unreadable as CaseEvent]).household).toStrictEqual({ erased: true });
    expect(caseDoc([ev.received(), moved, ev.erased('2025-04-01')]).household).toStrictEqual({ erased: true });
  });
});

describe('household details on the timeline', () => {
  it('says which fields changed and why, with no value; earlier entries no longer show the old household', () => {
    const doc = timeline([ev.received(), ev.approved(), moved]);
    expect(doc.items.at(-1)).toMatchObject({ type: 'HouseholdDetailsChanged', occurredOn: '2025-03-01' });
    expect(doc.items.at(-1)?.data).toStrictEqual({ changedOn: '2025-03-01', reason: 'moved', changed: ['address'] });
    expect(doc.items[0].data['household']).toStrictEqual({ superseded: true });
    expect(JSON.stringify(doc)).not.toContain(HOUSEHOLD.address);
    expect(JSON.stringify(doc)).not.toContain('Neusser');
  });

  it('after an erasure marks the change as erased like every personal entry', () => {
    const doc = timeline([ev.received(), moved, ev.erased('2025-04-01')]);
    expect(doc.items[0].data['household']).toStrictEqual({ erased: true });
    expect(doc.items[1].data).toStrictEqual({ changedOn: '2025-03-01', reason: 'moved', changed: ['address'], personalDataErased: true });
  });
});
