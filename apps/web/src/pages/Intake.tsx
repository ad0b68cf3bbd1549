import { useNavigate } from 'react-router';
import { Checkbox, CheckboxGroup, Section, SelectField, TextArea, TextField } from '../components/fields';
import { Notice } from '../components/status';
import { CommandForm, optionsOf } from '../forms/CommandForm';
import { useForm } from '../forms/form';
import { emptyIntake, INTAKE_FIELDS, intakeBody, validateIntake, type IntakeValues } from '../forms/intake-validation';
import { useCommandSubmit } from '../forms/submit';
import { todayInCologne } from '../forms/validate';
import { t } from '../i18n';
import { Page } from './Page';

/** "Aufnahme": a new referral (caseworker or Fachstelle). */
export function IntakePage() {
  const navigate = useNavigate();
  const today = todayInCologne();
  const form = useForm<IntakeValues>('intake', () => emptyIntake(today));
  const s = useCommandSubmit({
    form,
    route: '/api/cases',
    fields: INTAKE_FIELDS,
    validate: (v) => validateIntake(v, today),
    toBody: intakeBody,
    onDone: (answer) => navigate(`/faelle/${answer.caseId}?minPosition=${answer.position}&gespeichert=1`),
  });
  const f = t.intake;
  const labels = {
    name: f.name,
    address: f.address,
    phone: f.phone,
    adults: f.adults,
    children: f.children,
    receivedOn: f.receivedOn,
    referralSource: f.referralSource,
    targetGroup: f.targetGroup,
    housingSituation: f.housingSituation,
    threatCauses: f.threatCauses,
    existingAid: f.existingAid,
    consentGiven: f.consentGiven,
    notes: t.common.notes,
  };
  return (
    <Page title={f.title}>
      <p>{f.intro}</p>
      <CommandForm form={form} level={2} title={f.formTitle} submitLabel={f.submit} labels={labels} {...s}>
        <Section title={f.householdSection}>
          <TextField form={form} name="name" label={f.name} required maxLength={200} />
          <TextField form={form} name="address" label={f.address} required maxLength={500} />
          <TextField form={form} name="phone" type="tel" label={f.phone} maxLength={50} />
          <div className="row">
            <TextField form={form} name="adults" label={f.adults} required inputMode="numeric" />
            <TextField form={form} name="children" label={f.children} required inputMode="numeric" />
          </div>
        </Section>
        <Section title={f.referralSection}>
          <TextField form={form} name="receivedOn" type="date" label={f.receivedOn} required max={today} />
          <SelectField form={form} name="referralSource" label={f.referralSource} required options={optionsOf('referralSource')} />
          <SelectField form={form} name="targetGroup" label={f.targetGroup} required options={optionsOf('targetGroup')} />
          <SelectField form={form} name="housingSituation" label={f.housingSituation} required options={optionsOf('housingSituation')} />
          <CheckboxGroup form={form} name="threatCauses" label={f.threatCauses} options={optionsOf('threatCause')} />
        </Section>
        <Section title={f.requirementsSection}>
          <CheckboxGroup form={form} name="existingAid" label={f.existingAid} hint={f.existingAidHint} options={optionsOf('existingAid')} />
          <Checkbox form={form} name="consentGiven" label={f.consentGiven} />
          {!form.values.consentGiven && <Notice kind="warning">{t.validation.consent}</Notice>}
        </Section>
        <TextArea form={form} name="notes" label={t.common.notes} hint={t.common.notesHint} maxLength={10_000} />
      </CommandForm>
    </Page>
  );
}
