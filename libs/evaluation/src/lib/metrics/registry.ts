import { casesMetric } from './cases';
import { closuresMetric } from './closures';
import { decisionsMetric } from './decisions';
import { extensionsMetric } from './extensions';
import { helpPlansMetric } from './help-plans';
import { housingSecuredMetric } from './housing-secured';
import { mediationsMetric } from './mediations';
import { referralsMetric } from './referrals';
import { repeatCasesMetric } from './repeat-cases';
import { visitsMetric } from './visits';

/**
 * Every block of the statistics, in API.md's order. Adding a metric means adding its reducer
 * here: the raw and published shapes, withChildren and anonymisation follow from this list.
 */
export const METRICS = [
  referralsMetric,
  decisionsMetric,
  casesMetric,
  visitsMetric,
  mediationsMetric,
  housingSecuredMetric,
  extensionsMetric,
  closuresMetric,
  repeatCasesMetric,
  helpPlansMetric,
] as const;

type RegisteredMetric = (typeof METRICS)[number];
export type BlockName = RegisteredMetric['block'];
export type RawBlocks = { readonly [M in RegisteredMetric as M['block']]: ReturnType<M['compute']> };
