import { SelectField, TextField } from '../components/fields';
import { t } from '../i18n';
import type { CaseFormProps } from './caseworker-forms';
import { validateDetails, type DetailsValues } from './casework-validation';
import { CommandForm, optionsOf } from './CommandForm';
import { useForm } from './form';
import { onTheCase, useCommandSubmit } from './submit';
import { asCode, todayInCologne } from './validate';

/**
 * The household's new or corrected details (decision 0030): only the fields that change are
 * sent. On an ended case only a correction is possible, so it is the only reason offered.
 */
export function HouseholdDetailsForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const ended = detail.status === 'closed' || detail.status === 'rejected';
  const form = useForm<DetailsValues>('details', {
    changedOn: today,
    reason: ended ? 'correction' : '',
    name: '',
    address: '',
    phone: '',
  });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/household-details',
    ...onTheCase({ detail, onDone, onStale }),
    validate: (v) => validateDetails(v, today, detail),
    toBody: (v) => ({
      changedOn: v.changedOn,
      reason: asCode('detailsChangeReason', v.reason),
      household: Object.fromEntries((['name', 'address', 'phone'] as const).filter((k) => v[k].trim()).map((k) => [k, v[k].trim()])),
    }),
    fields: { 'household.name': 'name', 'household.address': 'address', 'household.phone': 'phone', household: 'name' },
  });
  const f = t.details;
  const current = 'name' in detail.household ? detail.household : null;
  const reasons = optionsOf('detailsChangeReason').filter(([code]) => !ended || code === 'correction');
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={f.submit}
      onCancel={onCancel}
      {...s}
      labels={{ changedOn: f.changedOn, reason: f.reason, name: f.name, address: f.address, phone: f.phone }}
    >
      <p className="hint">{ended ? f.endedHint : f.intro}</p>
      <TextField form={form} name="changedOn" type="date" label={f.changedOn} required max={today} />
      <SelectField form={form} name="reason" label={f.reason} required options={reasons} />
      <TextField form={form} name="name" label={f.name} hint={current ? f.current(current.name) : undefined} maxLength={200} />
      <TextField form={form} name="address" label={f.address} hint={current ? f.current(current.address) : undefined} maxLength={500} />
      <TextField
        form={form}
        name="phone"
        type="tel"
        label={f.phone}
        hint={current?.phone ? f.current(current.phone) : undefined}
        maxLength={50}
      />
    </CommandForm>
  );
}
