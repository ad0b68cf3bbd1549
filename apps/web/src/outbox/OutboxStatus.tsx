import { t } from '../i18n';
import { useOutbox } from './OutboxProvider';

/**
 * The header's word on the outbox, a polite live region: what waits, what is being sent, what came
 * back refused, and "gespeichert" only for what the API has answered.
 */
export function OutboxStatus() {
  const outbox = useOutbox();
  if (!outbox) return null;
  const s = t.outbox.status;
  const parts = [
    ...(outbox.waiting > 0 ? [outbox.sending ? s.sending(outbox.waiting) : s.waiting(outbox.waiting)] : []),
    ...(outbox.refused > 0 ? [s.refused(outbox.refused)] : []),
    ...(outbox.waiting === 0 && outbox.last && outbox.last.sent > 0 ? [s.saved(outbox.last.sent)] : []),
  ];
  return (
    <p className="outbox-status" role="status" aria-live="polite" aria-label={t.outbox.label}>
      {parts.join(' · ')}
    </p>
  );
}
