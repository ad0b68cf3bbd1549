import type { ReactNode } from 'react';
import { t } from '../i18n';
import { fieldId, type FieldValue, type FormApi } from '../forms/form';

type Values = Record<string, FieldValue>;
interface Base<V extends Values> {
  form: FormApi<V>;
  name: keyof V & string;
  label: string;
  hint?: string;
  required?: boolean;
}

/** Label, hint and problem wired to the control by id (aria-describedby, aria-invalid). */
function describe<V extends Values>({ form, name, hint }: Base<V>) {
  const id = fieldId(form.id, name);
  const error = form.errors[name];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id, error, describedBy, invalid: error ? true : undefined };
}

function Extras({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </>
  );
}

const LabelText = ({ label, required }: { label: string; required?: boolean }) => (
  <span className="label-text">
    {label}
    {required ? null : <span className="optional"> {t.common.optional}</span>}
  </span>
);

export function TextField<V extends Values>(
  props: Base<V> & {
    type?: 'text' | 'date' | 'tel' | 'number';
    autoComplete?: string;
    inputMode?: 'numeric' | 'text';
    max?: string;
    min?: string;
    maxLength?: number;
  },
) {
  const { form, name, label, required, type = 'text' } = props;
  const d = describe(props);
  return (
    <div className={`field${d.error ? ' has-error' : ''}`}>
      <label htmlFor={d.id}>
        <LabelText label={label} required={required} />
      </label>
      <input
        id={d.id}
        name={name}
        type={type}
        value={String(form.values[name] ?? '')}
        required={required}
        aria-invalid={d.invalid}
        aria-describedby={d.describedBy}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        max={props.max}
        min={props.min}
        maxLength={props.maxLength}
        onChange={(e) => form.set(name, e.target.value as V[typeof name])}
      />
      <Extras id={d.id} hint={props.hint} error={d.error} />
    </div>
  );
}

export function TextArea<V extends Values>(props: Base<V> & { maxLength?: number }) {
  const { form, name, label, required } = props;
  const d = describe(props);
  return (
    <div className={`field${d.error ? ' has-error' : ''}`}>
      <label htmlFor={d.id}>
        <LabelText label={label} required={required} />
      </label>
      <textarea
        id={d.id}
        name={name}
        rows={3}
        value={String(form.values[name] ?? '')}
        aria-invalid={d.invalid}
        aria-describedby={d.describedBy}
        maxLength={props.maxLength}
        onChange={(e) => form.set(name, e.target.value as V[typeof name])}
      />
      <Extras id={d.id} hint={props.hint} error={d.error} />
    </div>
  );
}

export function SelectField<V extends Values>(props: Base<V> & { options: readonly (readonly [string, string])[]; placeholder?: string }) {
  const { form, name, label, required, options } = props;
  const d = describe(props);
  return (
    <div className={`field${d.error ? ' has-error' : ''}`}>
      <label htmlFor={d.id}>
        <LabelText label={label} required={required} />
      </label>
      <select
        id={d.id}
        name={name}
        value={String(form.values[name] ?? '')}
        required={required}
        aria-invalid={d.invalid}
        aria-describedby={d.describedBy}
        onChange={(e) => form.set(name, e.target.value as V[typeof name])}
      >
        <option value="">{props.placeholder ?? t.intake.choose}</option>
        {options.map(([code, text]) => (
          <option key={code} value={code}>
            {text}
          </option>
        ))}
      </select>
      <Extras id={d.id} hint={props.hint} error={d.error} />
    </div>
  );
}

/** A group of checkboxes for a multi-valued field (fieldset and legend name the group). */
export function CheckboxGroup<V extends Values>(props: Base<V> & { options: readonly (readonly [string, string])[] }) {
  const { form, name, label, options, required } = props;
  const d = describe(props);
  const selected = (form.values[name] as string[]) ?? [];
  const toggle = (code: string, on: boolean) =>
    form.set(name, (on ? [...selected, code] : selected.filter((c) => c !== code)) as V[typeof name]);
  return (
    <fieldset className={`field checkbox-group${d.error ? ' has-error' : ''}`} id={d.id} aria-describedby={d.describedBy} tabIndex={-1}>
      <legend>
        <LabelText label={label} required={required} />
      </legend>
      {options.map(([code, text]) => (
        <label key={code} className="check">
          <input
            type="checkbox"
            name={name}
            value={code}
            checked={selected.includes(code)}
            onChange={(e) => toggle(code, e.target.checked)}
          />
          {text}
        </label>
      ))}
      <Extras id={d.id} hint={props.hint} error={d.error} />
    </fieldset>
  );
}

/** A yes/no question as two radio buttons; the value is '' (unanswered), 'yes' or 'no'. */
export function YesNo<V extends Values>(props: Base<V>) {
  const { form, name, label } = props;
  const d = describe(props);
  return (
    <fieldset className={`field radio-group${d.error ? ' has-error' : ''}`} id={d.id} aria-describedby={d.describedBy} tabIndex={-1}>
      <legend>
        <LabelText label={label} required />
      </legend>
      {(['yes', 'no'] as const).map((v) => (
        <label key={v} className="check">
          <input
            type="radio"
            name={`${form.id}-${name}`}
            value={v}
            checked={form.values[name] === v}
            onChange={() => form.set(name, v as V[typeof name])}
          />
          {v === 'yes' ? t.common.yes : t.common.no}
        </label>
      ))}
      <Extras id={d.id} hint={props.hint} error={d.error} />
    </fieldset>
  );
}

export function Checkbox<V extends Values>(props: Base<V>) {
  const { form, name, label } = props;
  const d = describe(props);
  return (
    <div className={`field${d.error ? ' has-error' : ''}`}>
      <label className="check" htmlFor={d.id}>
        <input
          id={d.id}
          type="checkbox"
          name={name}
          checked={Boolean(form.values[name])}
          aria-invalid={d.invalid}
          aria-describedby={d.describedBy}
          onChange={(e) => form.set(name, e.target.checked as V[typeof name])}
        />
        {label}
      </label>
      <Extras id={d.id} hint={props.hint} error={d.error} />
    </div>
  );
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="section">
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}
