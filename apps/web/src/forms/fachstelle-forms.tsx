import { HELP_PERIOD_MONTHS, VISIT_INTERVAL } from '@wih/vocabulary';
import { SelectField, TextArea, TextField } from '../components/fields';
import { t } from '../i18n';
import {
  optionalText,
  validateApproval,
  validateExtension,
  validateReassignment,
  validateRejection,
  type ApprovalValues,
  type ExtensionValues,
  type ReassignmentValues,
  type RejectionValues,
} from './case-validation';
import type { CaseFormProps } from './caseworker-forms';
import { validateRestriction, type RestrictionValues } from './casework-validation';
import { CommandForm, optionsOf } from './CommandForm';
import { useForm } from './form';
import { onTheCase, useCommandSubmit } from './submit';
import { addMonths, asCode, todayInCologne } from './validate';

export function ApprovalForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<ApprovalValues>('approval', {
    approvedOn: today,
    assignedCaseworkerId: '',
    visitIntervalDays: String(VISIT_INTERVAL.default),
    plannedEndOn: addMonths(today, HELP_PERIOD_MONTHS.initial),
  });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/approval',
    ...onTheCase({ detail, onDone, onStale }),
    validate: (v) => validateApproval(v, today, detail),
    toBody: (v) => ({
      approvedOn: v.approvedOn,
      assignedCaseworkerId: v.assignedCaseworkerId.trim(),
      visitIntervalDays: Number(v.visitIntervalDays),
      plannedEndOn: v.plannedEndOn,
    }),
  });
  const f = t.forms.approval;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{
        approvedOn: f.approvedOn,
        assignedCaseworkerId: f.caseworker,
        visitIntervalDays: f.visitIntervalDays,
        plannedEndOn: f.plannedEndOn,
      }}
    >
      <TextField form={form} name="approvedOn" type="date" label={f.approvedOn} required max={today} />
      <TextField form={form} name="assignedCaseworkerId" label={f.caseworker} required hint={t.signIn.userIdHint} />
      <TextField form={form} name="visitIntervalDays" label={f.visitIntervalDays} required inputMode="numeric" hint={f.visitIntervalHint} />
      <TextField form={form} name="plannedEndOn" type="date" label={f.plannedEndOn} required hint={f.plannedEndHint} />
    </CommandForm>
  );
}

export function RejectionForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<RejectionValues>('rejection', { rejectedOn: today, reason: '', notes: '' });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/rejection',
    ...onTheCase({ detail, onDone, onStale }),
    validate: (v) => validateRejection(v, today, detail),
    toBody: (v) => ({ rejectedOn: v.rejectedOn, reason: asCode('rejectionReason', v.reason), notes: optionalText(v.notes) }),
  });
  const f = t.forms.rejection;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ rejectedOn: f.rejectedOn, reason: f.reason, notes: t.common.notes }}
    >
      <TextField form={form} name="rejectedOn" type="date" label={f.rejectedOn} required max={today} />
      <SelectField form={form} name="reason" label={f.reason} required options={optionsOf('rejectionReason')} />
      <TextArea form={form} name="notes" label={t.common.notes} hint={t.common.notesHint} maxLength={10_000} />
    </CommandForm>
  );
}

export function ExtensionForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const form = useForm<ExtensionValues>('extension', {
    plannedEndOn: detail.plannedEndOn ? addMonths(detail.plannedEndOn, 6) : '',
    reason: '',
  });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/extension',
    ...onTheCase({ detail, onDone, onStale }),
    validate: (v) => validateExtension(v, todayInCologne(), detail),
    toBody: (v) => ({ plannedEndOn: v.plannedEndOn, reason: asCode('extensionReason', v.reason) }),
  });
  const f = t.forms.extension;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ plannedEndOn: f.plannedEndOn, reason: f.reason }}
    >
      <TextField form={form} name="plannedEndOn" type="date" label={f.plannedEndOn} required hint={f.hint} />
      <SelectField form={form} name="reason" label={f.reason} required options={optionsOf('extensionReason')} />
    </CommandForm>
  );
}

export function ReassignmentForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const form = useForm<ReassignmentValues>('reassignment', { caseworkerId: '' });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/reassignment',
    ...onTheCase({ detail, onDone, onStale }),
    validate: validateReassignment,
    toBody: (v) => ({ caseworkerId: v.caseworkerId.trim() }),
  });
  const f = t.forms.reassignment;
  return (
    <CommandForm form={form} title={f.title} submitLabel={f.submit} onCancel={onCancel} {...s} labels={{ caseworkerId: f.caseworkerId }}>
      <TextField form={form} name="caseworkerId" label={f.caseworkerId} required hint={t.signIn.userIdHint} />
    </CommandForm>
  );
}

/** Restriction of processing (Art. 18 DSGVO): on the household, so on every one of its cases; no If-Match (not a case command). */
export function RestrictionForm({ detail, onDone, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<RestrictionValues>('restriction', { restrictedOn: today, reason: '' });
  const s = useCommandSubmit({
    form,
    route: '/api/households/{householdId}/restriction',
    path: { householdId: detail.householdId },
    // Restricting a restricted household appends nothing and answers 200: the request is idempotent by itself.
    idempotencyKey: false,
    onDone,
    validate: (v) => validateRestriction(v, today),
    toBody: (v) => ({ restrictedOn: v.restrictedOn, reason: asCode('restrictionReason', v.reason) }),
  });
  const f = t.restriction;
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ restrictedOn: f.restrictedOn, reason: f.reason }}
    >
      <p className="hint">{f.intro}</p>
      <TextField form={form} name="restrictedOn" type="date" label={f.restrictedOn} required max={today} />
      <SelectField form={form} name="reason" label={f.reason} required options={optionsOf('restrictionReason')} />
    </CommandForm>
  );
}

/** Lifting the restriction: a confirmation, dated today by the server. */
export function LiftRestrictionForm({ detail, onDone, onCancel }: CaseFormProps) {
  const form = useForm<Record<string, string>>('lift', {});
  const s = useCommandSubmit({
    form,
    method: 'delete',
    route: '/api/households/{householdId}/restriction',
    path: { householdId: detail.householdId },
    idempotencyKey: false,
    onDone,
    validate: () => ({}),
    toBody: () => undefined,
  });
  const f = t.restriction;
  return (
    <CommandForm form={form} title={f.liftTitle} submitLabel={f.liftSubmit} onCancel={onCancel} {...s} labels={{}}>
      <p>{f.liftIntro}</p>
    </CommandForm>
  );
}
