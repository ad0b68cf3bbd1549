import { useState } from 'react';
import { Link } from 'react-router';
import { Empty, Notice } from '../components/status';
import { t } from '../i18n';
import { formatDateTime } from '../i18n/format';
import { Page } from '../pages/Page';
import { entryTitle, refusalText } from './describe';
import { useOutbox } from './OutboxProvider';

/** What waits on this device, in the order it will be sent; refused entries to correct or discard. */
export function OutboxPage() {
  const outbox = useOutbox();
  const [confirming, setConfirming] = useState<number | null>(null);
  const [discarded, setDiscarded] = useState(false);
  if (!outbox) return null;
  const o = t.outbox;
  return (
    <Page title={o.title}>
      <p>{o.intro}</p>
      <div className="actions">
        <button
          type="button"
          aria-disabled={outbox.sending || outbox.waiting === 0 || undefined}
          onClick={() => {
            if (!outbox.sending && outbox.waiting > 0) void outbox.flush();
          }}
        >
          {outbox.sending ? o.sending : o.sendNow}
        </button>
      </div>
      {outbox.last?.stopped && outbox.waiting > 0 && !outbox.sending && <Notice kind="warning">{o.stopped}</Notice>}
      {discarded && <Notice focus>{o.discarded}</Notice>}
      {outbox.entries.length === 0 ? (
        <Empty text={o.empty} />
      ) : (
        <ol className="outbox-list">
          {outbox.entries.map((entry) => (
            <li key={entry.seq} className={`outbox-entry outbox-${entry.state}`}>
              <h2>{entryTitle(entry)}</h2>
              <p>
                {o.writtenAt(formatDateTime(entry.writtenAt))} · <strong>{entry.state === 'waiting' ? o.waiting : o.refused}</strong>
              </p>
              {entry.state === 'refused' && <p className="field-error">{refusalText(entry)}</p>}
              <div className="actions">
                {entry.state === 'refused' && (
                  <Link className="button-link" to={`/postausgang/${entry.seq}`}>
                    {o.correct}
                  </Link>
                )}
                {entry.caseId && <Link to={`/faelle/${entry.caseId}`}>{o.toCase}</Link>}
                {entry.state === 'refused' && confirming !== entry.seq && (
                  <button type="button" className="secondary" onClick={() => setConfirming(entry.seq)}>
                    {o.discard}
                  </button>
                )}
              </div>
              {confirming === entry.seq && (
                <div className="notice notice-warning" role="group" aria-label={o.discardConfirm}>
                  <p>{o.discardConfirm}</p>
                  <div className="actions">
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        setConfirming(null);
                        setDiscarded(true);
                        void outbox.discard(entry.seq);
                      }}
                    >
                      {o.discardYes}
                    </button>
                    {/* The harmless choice has the focus, as in the erasure dialog. */}
                    <button type="button" className="secondary" autoFocus onClick={() => setConfirming(null)}>
                      {o.discardNo}
                    </button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
    </Page>
  );
}
