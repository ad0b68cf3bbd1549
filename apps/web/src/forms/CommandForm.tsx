import type { FormEvent, ReactNode } from 'react';
import { t, codesOf, labelOf, type CodeList } from '../i18n';
import { ErrorSummary, Notice } from '../components/status';
import type { FormApi, FieldValue } from './form';

/** The options of a select or checkbox group: the codes of a list with their labels. */
export const optionsOf = (list: CodeList) => codesOf(list).map((code) => [code, labelOf(list, code)] as const);

interface Props<V extends Record<string, FieldValue>> {
  form: FormApi<V>;
  title: string;
  submitLabel: string;
  labels: Record<string, string>;
  submit: (event?: FormEvent) => void;
  pending: boolean;
  message: string | null;
  /** The last submission waits in the outbox: said so, never "saved" (decision 0040). */
  queued?: boolean;
  /** What waits, where a form queues more than one entry (the visit and its goal reviews). */
  queuedText?: string;
  onCancel?: () => void;
  /** h3 inside a page section (default), h2 when the form is the page's main content. */
  level?: 2 | 3;
  children: ReactNode;
}

/** A command form: heading, problems on top, the fields, then save (and cancel). */
export function CommandForm<V extends Record<string, FieldValue>>(props: Props<V>) {
  const { form, title, pending } = props;
  const Heading = props.level === 2 ? 'h2' : 'h3';
  return (
    <form className="command-form" noValidate onSubmit={props.submit} aria-labelledby={`${form.id}-title`} aria-busy={pending}>
      <Heading id={`${form.id}-title`}>{title}</Heading>
      <ErrorSummary formId={form.id} message={props.message} errors={form.errors} labels={props.labels} />
      {props.queued && (
        <Notice kind="warning" focus>
          {props.queuedText ?? t.outbox.queued}
        </Notice>
      )}
      {props.children}
      <div className="actions">
        {/* Stays focusable while saving (aria-disabled); the submit hook ignores a second click. */}
        <button type="submit" aria-disabled={pending || undefined}>
          {pending ? t.common.saving : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="secondary" onClick={props.onCancel}>
            {t.common.cancel}
          </button>
        )}
      </div>
    </form>
  );
}
