import { t } from '../i18n';
import type { Errors } from './form';
import { asCode, asCodes, businessDate, collect, integer, maxLength, required } from './validate';

export interface IntakeValues {
  [k: string]: string | boolean | string[];
  name: string;
  address: string;
  phone: string;
  adults: string;
  children: string;
  receivedOn: string;
  referralSource: string;
  targetGroup: string;
  housingSituation: string;
  threatCauses: string[];
  existingAid: string[];
  consentGiven: boolean;
  notes: string;
}

export const emptyIntake = (today: string): IntakeValues => ({
  name: '',
  address: '',
  phone: '',
  adults: '1',
  children: '0',
  receivedOn: today,
  referralSource: '',
  targetGroup: '',
  housingSituation: '',
  threatCauses: [],
  existingAid: [],
  consentGiven: false,
  notes: '',
});

/** The referral's shape (API.md `POST /api/cases`); missing consent is allowed (the Fachstelle cannot approve then). */
export const validateIntake = (v: IntakeValues, today: string): Errors =>
  collect({
    name: required(v.name.trim()) ?? maxLength(v.name, 200),
    address: required(v.address.trim()) ?? maxLength(v.address, 500),
    phone: maxLength(v.phone, 50),
    adults: integer(v.adults, 1, 30),
    children: integer(v.children, 0, 30),
    receivedOn: businessDate(v.receivedOn, today),
    referralSource: required(v.referralSource, t.validation.choose),
    targetGroup: required(v.targetGroup, t.validation.choose),
    housingSituation: required(v.housingSituation, t.validation.choose),
    notes: maxLength(v.notes, 10_000),
  });

export const intakeBody = (v: IntakeValues) => ({
  receivedOn: v.receivedOn,
  referralSource: asCode('referralSource', v.referralSource),
  targetGroup: asCode('targetGroup', v.targetGroup),
  housingSituation: asCode('housingSituation', v.housingSituation),
  threatCauses: asCodes('threatCause', v.threatCauses),
  adults: Number(v.adults),
  children: Number(v.children),
  existingAid: asCodes('existingAid', v.existingAid),
  consentGiven: v.consentGiven,
  household: { name: v.name.trim(), address: v.address.trim(), ...(v.phone.trim() ? { phone: v.phone.trim() } : {}) },
  ...(v.notes.trim() ? { notes: v.notes.trim() } : {}),
});

/** Where the API names a household field, the form has it flat. */
export const INTAKE_FIELDS = { 'household.name': 'name', 'household.address': 'address', 'household.phone': 'phone', household: 'name' };
