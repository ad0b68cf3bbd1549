import { ACTIVITY_LIMITS } from '@wih/vocabulary';
import { REFERRAL_SOURCES, type ReferralSource } from '../case/vocabulary';

/** DOMAIN.md "Work beyond single cases": what kind of activity it was. */
export const ACTIVITY_KINDS = [
  'networking',
  'public_relations',
  'landlord_acquisition',
  'cooperation_fachstelle',
  'case_conference',
  'training',
  'other',
] as const;
/** Cologne's nine Stadtbezirke, or the whole city. */
export const DISTRICTS = [
  'innenstadt',
  'rodenkirchen',
  'lindenthal',
  'ehrenfeld',
  'nippes',
  'chorweiler',
  'porz',
  'kalk',
  'muelheim',
  'citywide',
] as const;
/** The partners of an activity are the kinds of institution that refer households: one list for both. */
export const PARTNER_KINDS = REFERRAL_SOURCES;

export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export type District = (typeof DISTRICTS)[number];
export type PartnerKind = ReferralSource;

export { ACTIVITY_LIMITS };
