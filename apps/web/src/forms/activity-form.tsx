import type { ActivityAnswer } from '../api/schemas';
import { CheckboxGroup, SelectField, TextField } from '../components/fields';
import { t } from '../i18n';
import { parseHours, validateActivity, type ActivityValues } from './casework-validation';
import { CommandForm, optionsOf } from './CommandForm';
import { useForm } from './form';
import { useCommandSubmit } from './submit';
import { asCode, asCodes, todayInCologne } from './validate';

/**
 * An activity beyond single cases (decision 0024): no case, no free text, so nothing personal can
 * be typed in. Not a case command: no If-Match; the Idempotency-Key makes a retry land once.
 */
interface Props {
  onDone: (answer: ActivityAnswer) => void;
  /** Written without a connection: it waits in the outbox (decision 0040). */
  onQueued?: () => void;
  /** A body the API refused from the outbox: the form opens with it, for correcting. */
  draft?: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value).replace('.', ',') : '');

export function ActivityForm({ onDone, onQueued, draft }: Props) {
  const today = todayInCologne();
  const form = useForm<ActivityValues>('activity', () =>
    draft
      ? {
          on: text(draft.on),
          kind: text(draft.kind),
          partnerKinds: Array.isArray(draft.partnerKinds) ? draft.partnerKinds.filter((v): v is string => typeof v === 'string') : [],
          district: text(draft.district),
          hours: text(draft.hours),
          participants: text(draft.participants),
        }
      : { on: today, kind: '', partnerKinds: [], district: '', hours: '', participants: '0' },
  );
  const s = useCommandSubmit({
    form,
    route: '/api/activities',
    onDone,
    onQueued,
    validate: (v) => validateActivity(v, today),
    toBody: (v) => ({
      on: v.on,
      kind: asCode('activityKind', v.kind),
      partnerKinds: asCodes('referralSource', v.partnerKinds),
      district: asCode('district', v.district),
      hours: parseHours(v.hours),
      participants: Number(v.participants.trim()),
    }),
  });
  const f = t.activities;
  return (
    <CommandForm
      form={form}
      title={f.formTitle}
      submitLabel={f.submit}
      level={2}
      {...s}
      labels={{ on: f.on, kind: f.kind, partnerKinds: f.partnerKinds, district: f.district, hours: f.hours, participants: f.participants }}
    >
      <TextField form={form} name="on" type="date" label={f.on} required max={today} />
      <SelectField form={form} name="kind" label={f.kind} required options={optionsOf('activityKind')} />
      <SelectField form={form} name="district" label={f.district} required options={optionsOf('district')} />
      <CheckboxGroup form={form} name="partnerKinds" label={f.partnerKinds} options={optionsOf('referralSource')} />
      <TextField form={form} name="hours" label={f.hours} required inputMode="text" hint={f.hoursHint} />
      <TextField form={form} name="participants" label={f.participants} required inputMode="numeric" hint={f.participantsHint} />
    </CommandForm>
  );
}
