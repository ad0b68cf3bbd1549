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
import { CommandForm, optionsOf } from './CommandForm';
import { useForm } from './form';
import { useCommandSubmit } from './submit';
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
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
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
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
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
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
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
    caseId: detail.caseId,
    revision: detail.revision,
    onDone,
    onStale,
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
