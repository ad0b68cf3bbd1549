/**
 * The address of a case's form: `/faelle/<id>#besuch` opens the home-visit form. The keys are the
 * action ids of `actionsFor` (CaseActions.tsx); an anchor naming no form the person may open now
 * opens nothing.
 */
export const FORM_ANCHORS: Readonly<Record<string, string>> = {
  approval: 'bewilligung',
  rejection: 'ablehnung',
  visit: 'besuch',
  mediation: 'vermittlung',
  housing: 'wohnraum',
  extension: 'verlaengerung',
  reassignment: 'fachkraftwechsel',
  closure: 'abschluss',
  plan: 'hilfeplan',
  details: 'kontaktdaten',
  restriction: 'einschraenkung',
  lift: 'aufhebung',
};

/** The action id an address's hash (`#besuch`) names, or null. */
export function actionOfHash(hash: string): string | null {
  const anchor = decodeURIComponent(hash.replace(/^#/, ''));
  return Object.entries(FORM_ANCHORS).find(([, a]) => a === anchor)?.[0] ?? null;
}

export const caseFormPath = (caseId: string, actionId: string | null): string =>
  `/faelle/${caseId}${actionId && FORM_ANCHORS[actionId] ? `#${FORM_ANCHORS[actionId]}` : ''}`;
