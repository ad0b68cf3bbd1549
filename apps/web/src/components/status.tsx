import { useEffect, useRef, type ReactNode } from 'react';
import { t } from '../i18n';
import { fieldId, type Errors } from '../forms/form';

/**
 * The problems of a submission, at the top of the form: the general message and a link per
 * field. It takes the focus when it appears, so keyboard and screen reader users land on it.
 */
export function ErrorSummary({
  formId,
  message,
  errors,
  labels,
}: {
  formId: string;
  message: string | null;
  errors: Errors;
  labels: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const fields = Object.keys(errors);
  const visible = message !== null || fields.length > 0;
  useEffect(() => {
    if (visible) ref.current?.focus();
  }, [visible, message, fields.length]);
  if (!visible) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      {message && <p className="error-message">{message}</p>}
      {fields.length > 0 && (
        <>
          <p>{t.common.errorSummary}</p>
          <ul>
            {fields.map((f) => (
              <li key={f}>
                <a
                  href={`#${fieldId(formId, f)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(fieldId(formId, f))?.focus();
                  }}
                >
                  {labels[f] ?? f}: {errors[f]}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export const Loading = ({ text = t.common.loading }: { text?: string }) => (
  <p className="loading" role="status">
    {text}
  </p>
);
export const Empty = ({ text }: { text: string }) => <p className="empty">{text}</p>;

export function Notice({
  children,
  kind = 'info',
  focus = false,
}: {
  children: ReactNode;
  kind?: 'info' | 'success' | 'warning';
  focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // After a save the form is gone: the confirmation takes the focus, so keyboard users continue here.
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <div className={`notice notice-${kind}`} role="status" ref={ref} tabIndex={focus ? -1 : undefined}>
      {children}
    </div>
  );
}

export function ErrorNotice({ text, onRetry }: { text: string; onRetry?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>{text}</p>
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          {t.common.retry}
        </button>
      )}
    </div>
  );
}
