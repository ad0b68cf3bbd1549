import { HELP_PLAN } from '@wih/vocabulary';
import { useRef, useState } from 'react';
import type { CaseDetail } from '../api/schemas';
import { CheckboxGroup, SelectField, TextArea, TextField, YesNo } from '../components/fields';
import { Notice } from '../components/status';
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
import { goalKey, reviewKey, validatePlan, validateReviews, type PlanValues } from './casework-validation';
import { CommandForm, optionsOf } from './CommandForm';
import { fieldId, useForm } from './form';
import { goalText, isOpenGoal, wordingOf } from './goals';
import { onTheCase, useCommandSubmit } from './submit';
import { asCode, asCodes, todayInCologne } from './validate';
import { useVisitWithReviews } from './visit-submit';

export interface CaseFormProps {
  detail: CaseDetail;
  /** The command's answer; the page reads the log position from it (read-your-writes). */
  onDone: (answer: { position: string }) => void;
  /** A step of a form that sends more than one request was saved; the form stays open. */
  onProgress?: (answer: { position: string }) => void;
  onStale: () => Promise<number | undefined>;
  onCancel?: () => void;
  /** The command waits in the outbox (no connection): not saved yet; the text says what waits, where more than one entry does. */
  onQueued?: (text?: string) => void;
  /** A body the API refused from the outbox: the form opens with it, for correcting. */
  draft?: Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const texts = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const Notes = ({ form }: { form: Parameters<typeof TextArea>[0]['form'] }) => (
  <TextArea form={form} name="notes" label={t.common.notes} hint={t.common.notesHint} maxLength={10_000} />
);

export type CaseVisitValues = VisitValues;

/**
 * The visit, and for each open goal of the plan optionally its review: one form, sent as one visit
 * then one request per review. Reopened from the outbox (`draft`), it holds the visit as typed.
 */
export function VisitForm({ detail, onDone, onProgress, onStale, onCancel, onQueued, draft }: CaseFormProps) {
  const today = todayInCologne();
  const open = (detail.helpPlan?.goals ?? []).map((goal, index) => ({ goal, number: index + 1 })).filter(({ goal }) => isOpenGoal(goal));
  const form = useForm<VisitValues>('visit', () => ({
    ...(draft
      ? {
          visitedOn: text(draft.visitedOn),
          householdMet: draft.householdMet === true ? 'yes' : draft.householdMet === false ? 'no' : '',
          concerns: texts(draft.concerns),
          notes: text(draft.notes),
        }
      : { visitedOn: today, householdMet: '', concerns: [], notes: '' }),
    ...Object.fromEntries(
      open.flatMap(({ goal }) => [reviewKey(goal.goalId, 'status'), reviewKey(goal.goalId, 'householdView')].map((k) => [k, ''])),
    ),
  }));
  const s = useVisitWithReviews({
    form,
    detail,
    onDone,
    onProgress,
    onStale,
    onQueued,
    validate: (v) => ({ ...validateVisit(v, today, detail), ...validateReviews(v, detail.helpPlan) }),
    visitBody: (v) => ({
      visitedOn: v.visitedOn,
      householdMet: v.householdMet === 'yes',
      concerns: asCodes('visitConcern', v.concerns),
      notes: optionalText(String(v.notes)),
    }),
  });
  const f = t.forms.visit;
  const r = t.reviews;
  const labels: Record<string, string> = {
    visitedOn: f.visitedOn,
    householdMet: f.householdMet,
    concerns: f.concerns,
    notes: t.common.notes,
  };
  for (const { goal, number } of open) {
    labels[reviewKey(goal.goalId, 'status')] = r.field(number, r.status);
    labels[reviewKey(goal.goalId, 'householdView')] = r.field(number, r.householdView);
  }
  return (
    <CommandForm
      form={form}
      title={f.title}
      submitLabel={s.visit ? r.submitRest : f.submit}
      onCancel={onCancel}
      submit={s.submit}
      pending={s.pending}
      message={s.message}
      queued={s.queued !== null}
      queuedText={s.queued ?? undefined}
      labels={labels}
    >
      {s.visit && <Notice kind="success">{r.visitSaved}</Notice>}
      {/* Once saved, the visit's fields are locked: the reviews still to send are dated with it. */}
      <fieldset className="plain" disabled={s.visit !== null}>
        <TextField form={form} name="visitedOn" type="date" label={f.visitedOn} required max={today} />
        <YesNo form={form} name="householdMet" label={f.householdMet} required />
        <CheckboxGroup form={form} name="concerns" label={f.concerns} options={optionsOf('visitConcern')} />
        <Notes form={form} />
      </fieldset>
      {open.length > 0 && (
        <fieldset className="section">
          <legend>{r.title}</legend>
          <p className="hint">{r.hint}</p>
          {open.map(({ goal, number }) => (
            <fieldset key={goal.goalId} className="goal-review" disabled={s.reviewed.includes(goal.goalId)}>
              <legend>{r.goal(number, goalText(goal))}</legend>
              {s.reviewed.includes(goal.goalId) && <p className="muted">{r.saved(number)}</p>}
              <SelectField
                form={form}
                name={reviewKey(goal.goalId, 'status')}
                label={r.status}
                placeholder={r.notReviewed}
                options={optionsOf('goalStatus')}
              />
              <SelectField
                form={form}
                name={reviewKey(goal.goalId, 'householdView')}
                label={r.householdView}
                options={optionsOf('householdView')}
              />
            </fieldset>
          ))}
        </fieldset>
      )}
    </CommandForm>
  );
}

const GOAL_FIELDS = ['area', 'actor', 'reviewOn', 'wording'] as const;

/**
 * The help plan agreed with the household: its goals (area, who acts, review date, wording). A
 * new plan replaces the open goals, so the form starts from them (keeping their ids) when there
 * is a plan; settled goals stay as they are.
 */
export function HelpPlanForm({ detail, onDone, onStale, onCancel }: CaseFormProps) {
  const today = todayInCologne();
  const carried = (detail.helpPlan?.goals ?? []).filter(isOpenGoal);
  const next = useRef(Math.max(carried.length, 1));
  const [slots, setSlots] = useState<number[]>(() => (carried.length ? carried.map((_, i) => i) : [0]));
  const form = useForm<PlanValues>('plan', () => {
    const values: PlanValues = { agreedOn: today, householdParticipated: '', notes: '' };
    carried.forEach((goal, slot) => {
      values[goalKey(slot, 'goalId')] = goal.goalId;
      values[goalKey(slot, 'area')] = goal.area;
      values[goalKey(slot, 'actor')] = goal.actor;
      // A review date before the new agreement would be refused: the person sets a new one.
      values[goalKey(slot, 'reviewOn')] = goal.reviewOn >= today ? goal.reviewOn : '';
      values[goalKey(slot, 'wording')] = wordingOf(goal) ?? '';
    });
    if (!carried.length) for (const field of GOAL_FIELDS) values[goalKey(0, field)] = '';
    return values;
  });
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/help-plan',
    ...onTheCase({ detail, onDone, onStale }),
    validate: (v) => validatePlan(v, slots, today, detail),
    toBody: (v) => ({
      agreedOn: v.agreedOn,
      householdParticipated: v.householdParticipated === 'yes',
      notes: optionalText(v.notes),
      goals: slots.map((slot) => ({
        goalId: v[goalKey(slot, 'goalId')] || undefined,
        area: asCode('goalArea', v[goalKey(slot, 'area')]),
        actor: asCode('goalActor', v[goalKey(slot, 'actor')]),
        reviewOn: v[goalKey(slot, 'reviewOn')],
        wording: v[goalKey(slot, 'wording')].trim(),
      })),
    }),
    // The API names a goal's field by its place in the list (goals.1.wording); the form by its slot.
    fields: Object.fromEntries(slots.flatMap((slot, i) => GOAL_FIELDS.map((f) => [`goals.${i}.${f}`, goalKey(slot, f)]))),
  });
  const add = () => {
    const slot = next.current++;
    for (const field of GOAL_FIELDS) form.set(goalKey(slot, field), '');
    setSlots((list) => [...list, slot]);
    // The new goal's first field takes the focus, so keyboard users continue there.
    setTimeout(() => document.getElementById(fieldId(form.id, goalKey(slot, 'area')))?.focus());
  };
  const remove = (slot: number) => {
    setSlots((list) => list.filter((s) => s !== slot));
    form.setErrors(Object.fromEntries(Object.entries(form.errors).filter(([k]) => !k.startsWith(`goal${slot}.`))));
    setTimeout(() => document.getElementById(`${form.id}-add`)?.focus());
  };
  const f = t.planForm;
  const labels: Record<string, string> = {
    agreedOn: f.agreedOn,
    householdParticipated: f.householdParticipated,
    notes: t.common.notes,
  };
  slots.forEach((slot, i) => {
    labels[goalKey(slot, 'area')] = f.goalField(i + 1, f.area);
    labels[goalKey(slot, 'actor')] = f.goalField(i + 1, f.actor);
    labels[goalKey(slot, 'reviewOn')] = f.goalField(i + 1, f.reviewOn);
    labels[goalKey(slot, 'wording')] = f.goalField(i + 1, f.wording);
  });
  return (
    <CommandForm form={form} title={f.title} submitLabel={f.submit} onCancel={onCancel} {...s} labels={labels}>
      {detail.helpPlan && <p className="hint">{f.replaces}</p>}
      <TextField form={form} name="agreedOn" type="date" label={f.agreedOn} required max={today} />
      <YesNo form={form} name="householdParticipated" label={f.householdParticipated} required />
      {slots.map((slot, i) => (
        <fieldset key={slot} className="section">
          <legend>{t.plan.goal(i + 1)}</legend>
          <SelectField form={form} name={goalKey(slot, 'area')} label={f.area} required options={optionsOf('goalArea')} />
          <SelectField form={form} name={goalKey(slot, 'actor')} label={f.actor} required options={optionsOf('goalActor')} />
          <TextField form={form} name={goalKey(slot, 'reviewOn')} type="date" label={f.reviewOn} required min={form.values.agreedOn} />
          <TextArea
            form={form}
            name={goalKey(slot, 'wording')}
            label={f.wording}
            required
            hint={f.wordingHint}
            maxLength={HELP_PLAN.wordingMaxLength}
          />
          {slots.length > HELP_PLAN.minGoals && (
            <button type="button" className="secondary" onClick={() => remove(slot)}>
              {f.removeGoal(i + 1)}
            </button>
          )}
        </fieldset>
      ))}
      {slots.length < HELP_PLAN.maxGoals && (
        <button type="button" className="secondary" id={`${form.id}-add`} onClick={add}>
          {f.addGoal}
        </button>
      )}
      <Notes form={form} />
    </CommandForm>
  );
}

export function MediationForm({ detail, onDone, onStale, onCancel, onQueued, draft }: CaseFormProps) {
  const today = todayInCologne();
  const form = useForm<MediationValues>('mediation', () =>
    draft
      ? {
          mediatedOn: text(draft.mediatedOn),
          kind: text(draft.kind),
          institutionKind: text(draft.institutionKind),
          notes: text(draft.notes),
        }
      : { mediatedOn: today, kind: '', institutionKind: '', notes: '' },
  );
  const s = useCommandSubmit({
    form,
    route: '/api/cases/{id}/mediations',
    ...onTheCase({ detail, onDone, onStale }),
    onQueued,
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
    ...onTheCase({ detail, onDone, onStale }),
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
    ...onTheCase({ detail, onDone, onStale }),
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
