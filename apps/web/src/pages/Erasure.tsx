import { useRef, useState, type FormEvent } from 'react';
import { request } from '../api/client';
import { describeError } from '../api/problem';
import { TextField } from '../components/fields';
import { ErrorNotice, ErrorSummary, Notice } from '../components/status';
import { useForm } from '../forms/form';
import { collect, uuid } from '../forms/validate';
import { t } from '../i18n';

/** Erasure of a household's personal data: the ID, then a confirmation dialog, then DELETE (204). */
export function Erasure() {
  const form = useForm<{ householdId: string }>('erasure', { householdId: '' });
  const dialog = useRef<HTMLDialogElement>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const a = t.admin;
  const id = form.values.householdId.trim().toLowerCase();

  const ask = (event: FormEvent) => {
    event.preventDefault();
    const errors = collect({ householdId: uuid(form.values.householdId) });
    form.setErrors(errors);
    setResult(null);
    if (Object.keys(errors).length === 0) dialog.current?.showModal();
  };

  const erase = async () => {
    if (pending) return;
    setPending(true);
    try {
      await request('delete', '/api/households/{householdId}/personal-data', { path: { householdId: id } });
      setResult({ ok: true, text: a.erased(id) });
      form.set('householdId', '');
    } catch (error) {
      setResult({ ok: false, text: describeError(error) });
    } finally {
      setPending(false);
      dialog.current?.close();
    }
  };

  return (
    <section aria-labelledby="erasure-title">
      <h2 id="erasure-title">{a.erasure}</h2>
      <p>{a.erasureIntro}</p>
      <form noValidate onSubmit={ask} className="filters">
        <ErrorSummary formId={form.id} message={null} errors={form.errors} labels={{ householdId: a.householdId }} />
        <TextField form={form} name="householdId" label={a.householdId} required />
        <button type="submit" className="danger">
          {a.erase}
        </button>
      </form>
      {result && (result.ok ? <Notice kind="success">{result.text}</Notice> : <ErrorNotice text={result.text} />)}
      <dialog ref={dialog} aria-labelledby="erasure-confirm-title" aria-describedby="erasure-confirm-text">
        <h3 id="erasure-confirm-title">{a.eraseConfirmTitle}</h3>
        <p id="erasure-confirm-text">{a.eraseConfirmText(id)}</p>
        <div className="actions">
          {/* The harmless choice comes first and has the focus. */}
          <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
            {t.common.cancel}
          </button>
          <button type="button" className="danger" onClick={erase} aria-disabled={pending || undefined}>
            {pending ? t.common.saving : a.eraseConfirm}
          </button>
        </div>
      </dialog>
    </section>
  );
}
