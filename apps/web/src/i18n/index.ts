import { DE } from './de';
import { DE_AGENDA } from './de.agenda';
import { DE_CASE } from './de.case';
import { DE_CASEWORK } from './de.casework';
import { DE_DASHBOARD } from './de.dashboard';
import { DE_OPS } from './de.ops';
import { DE_OUTBOX } from './de.outbox';
import { DE_REPORT } from './de.report';

export { codesOf, labelOf, type Code, type CodeList } from './codes.de';

/** The UI's texts. English can follow as another object of this shape, chosen here. */
export const t = {
  ...DE,
  ...DE_CASE,
  ...DE_OPS,
  ...DE_REPORT,
  ...DE_AGENDA,
  ...DE_CASEWORK,
  ...DE_OUTBOX,
  ...DE_DASHBOARD,
  // Each area's problem codes beside the common ones: describeError looks them up in one table.
  problems: { ...DE.problems, codes: { ...DE.problems.codes, ...DE_CASEWORK.caseworkCodes } },
};
export type Texts = typeof t;
