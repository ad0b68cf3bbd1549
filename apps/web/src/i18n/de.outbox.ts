/** The offline outbox (decision 0040): what waits on this device, and what came back. */
export const DE_OUTBOX = {
  outbox: {
    nav: 'Postausgang',
    title: 'Postausgang',
    intro:
      'Hier warten Einträge, die ohne Verbindung erfasst wurden. Sie werden in dieser Reihenfolge gesendet, sobald das Gerät wieder online ist. Erst „gespeichert“ heißt: Der Server hat sie angenommen.',
    empty: 'Der Postausgang ist leer.',
    sendNow: 'Jetzt senden',
    sending: 'Wird gesendet …',
    /** The header's live status. */
    status: {
      waiting: (n: number) => (n === 1 ? '1 Eintrag wartet auf Verbindung' : `${n} Einträge warten auf Verbindung`),
      sending: (n: number) => (n === 1 ? '1 Eintrag wird gesendet …' : `${n} Einträge werden gesendet …`),
      refused: (n: number) => (n === 1 ? '1 Eintrag abgelehnt: bitte korrigieren' : `${n} Einträge abgelehnt: bitte korrigieren`),
      saved: (n: number) => (n === 1 ? '1 Eintrag gesendet und gespeichert' : `${n} Einträge gesendet und gespeichert`),
    },
    label: 'Postausgang-Status',
    kinds: { visit: 'Hausbesuch', mediation: 'Vermittlung', 'goal-review': 'Zielüberprüfung', activity: 'Aktivität' },
    entry: (kind: string, on: string) => `${kind} vom ${on}`,
    writtenAt: (at: string) => `erfasst ${at}`,
    waiting: 'wartet auf Verbindung',
    refused: 'abgelehnt',
    toCase: 'Zum Fall',
    correct: 'Korrigieren …',
    discard: 'Verwerfen …',
    discardConfirm: 'Diesen Eintrag endgültig verwerfen? Er wird nicht gesendet.',
    discardYes: 'Ja, verwerfen',
    discardNo: 'Behalten',
    discarded: 'Der Eintrag wurde verworfen.',
    /** A 412 from the outbox: the form's wording ("the current state is shown") would not fit the list. */
    stale:
      'Der Fall wurde geändert, nachdem Sie den Eintrag erfasst haben. Unter „Korrigieren“ sehen Sie, was sich geändert hat, und können erneut senden.',
    stopped: 'Keine Verbindung zum Server: Die Einträge warten weiter und werden später gesendet.',
    /** After a form was written without a connection: not saved yet. */
    queued:
      'Noch nicht gespeichert: Der Eintrag wartet im Postausgang auf Verbindung und wird gesendet, sobald das Gerät wieder online ist.',
    storeFailed: 'Ohne Verbindung konnte der Eintrag auf diesem Gerät nicht abgelegt werden. Ihre Eingaben bleiben erhalten.',
    correctTitle: (kind: string) => `${kind} korrigieren`,
    correctIntro: 'Der Server hat diesen Eintrag abgelehnt. Ihre Eingaben sind unten eingesetzt: Prüfen Sie sie und senden Sie erneut.',
    changedSince: 'Seit Ihrer Eingabe hat sich der Fall geändert:',
    noForm: 'Dieser Eintrag lässt sich hier nicht bearbeiten. Sie können ihn verwerfen und neu erfassen.',
    notFound: 'Diesen Eintrag gibt es im Postausgang nicht (mehr).',
    back: 'Zurück zum Postausgang',
    signOutWarning: (n: number) =>
      n === 1
        ? 'Im Postausgang wartet noch 1 Eintrag. Beim Abmelden wird er von diesem Gerät gelöscht, ohne gesendet zu werden. Trotzdem abmelden?'
        : `Im Postausgang warten noch ${n} Einträge. Beim Abmelden werden sie von diesem Gerät gelöscht, ohne gesendet zu werden. Trotzdem abmelden?`,
  },
} as const;
