import type { CaseDetail, CommandAnswer } from '../api/schemas';
import { CheckboxGroup, SelectField, TextArea, TextField, YesNo } from '../components/fields';
import { t } from '../i18n';
import {
  optionalText,
  validateClosure,
  validateHousing,
  validateMediation,
  validateVisit,
  type ClosureValues,
  type HousingValues,
  type MediationValues,
  type VisitValues,
} from './case-validation';
import { CommandForm, optionsOf } from './CommandForm';
import { useForm } from './form';
import { useCommandSubmit } from './submit';
import { asCode, asCodes, todayInCologne } from './validate';

export interface CaseFormProps {
  detail: CaseDetail;
  onDone: (answer: CommandAnswer) => void;
  onStale: () => Promise<number | undefined>;
  onCancel?: () => void;
}

const Notes = ({ form }: { form: Parameters<typeof TextArea>[0]['form'] }) => (
  <TextArea form={form} name="notes" label={t.common.notes} hint={t.common.notesHint} maxLength={10_000} />
);

export function VisitForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<VisitValues>('visit', { visitedOn: today, householdMet: '', concerns: [], notes: '' });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/visits',
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
    validate: (v) => validateVisit(v, today, detail),
    toBody: (v) => ({
      visitedOn: v.visitedOn,
      householdMet: v.householdMet === 'yes',
      concerns: asCodes('visitConcern', v.concerns),
      notes: optionalText(v.notes),
    }),
  });
  const f = t.forms.visit;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ visitedOn: f.visitedOn, householdMet: f.householdMet, concerns: f.concerns, notes: t.common.notes }}
    >
      <TextField form={form} name="visitedOn" type="date" label={f.visitedOn} required max={today} />
      <YesNo form={form} name="householdMet" label={f.householdMet} required />
      <CheckboxGroup form={form} name="concerns" label={f.concerns} options={optionsOf('visitConcern')} />
      <Notes form={form} />
    </CommandForm>
  );
}

export function MediationForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<MediationValues>('mediation', { mediatedOn: today, kind: '', institutionKind: '', notes: '' });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/mediations',
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
    validate: (v) => validateMediation(v, today, detail),
    toBody: (v) => ({
      mediatedOn: v.mediatedOn,
      kind: asCode('mediationKind', v.kind),
      institutionKind: v.institutionKind ? asCode('institutionKind', v.institutionKind) : undefined,
      notes: optionalText(v.notes),
    }),
  });
  const f = t.forms.mediation;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ mediatedOn: f.mediatedOn, kind: f.kind, institutionKind: f.institutionKind, notes: t.common.notes }}
    >
      <TextField form={form} name="mediatedOn" type="date" label={f.mediatedOn} required max={today} />
      <SelectField form={form} name="kind" label={f.kind} required options={optionsOf('mediationKind')} />
      <SelectField form={form} name="institutionKind" label={f.institutionKind} options={optionsOf('institutionKind')} />
      <Notes form={form} />
    </CommandForm>
  );
}

export function HousingForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<HousingValues>('housing', { securedOn: today, outcome: '' });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/housing-secured',
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
    validate: (v) => validateHousing(v, today, detail),
    toBody: (v) => ({ securedOn: v.securedOn, outcome: asCode('housingOutcome', v.outcome) }),
  });
  const f = t.forms.housing;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ securedOn: f.securedOn, outcome: f.outcome }}
    >
      <TextField form={form} name="securedOn" type="date" label={f.securedOn} required max={today} />
      <SelectField form={form} name="outcome" label={f.outcome} required options={optionsOf('housingOutcome')} />
    </CommandForm>
  );
}

export function ClosureForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<ClosureValues>('closure', { closedOn: today, reason: '', housingAtClose: '', notes: '' });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/closure',
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
    validate: (v) => validateClosure(v, today, detail),
    toBody: (v) => ({
      closedOn: v.closedOn,
      reason: asCode('closingReason', v.reason),
      housingAtClose: asCode('housingAtClose', v.housingAtClose),
      notes: optionalText(v.notes),
    }),
  });
  const f = t.forms.closure;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ closedOn: f.closedOn, reason: f.reason, housingAtClose: f.housingAtClose, notes: t.common.notes }}
    >
      <TextField form={form} name="closedOn" type="date" label={f.closedOn} required max={today} />
      <SelectField form={form} name="reason" label={f.reason} required options={optionsOf('closingReason')} />
      <SelectField form={form} name="housingAtClose" label={f.housingAtClose} required options={optionsOf('housingAtClose')} />
      <Notes form={form} />
    </CommandForm>
  );
}
