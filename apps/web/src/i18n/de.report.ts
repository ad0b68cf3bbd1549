/** Names of the statistics' blocks and figures, worded as in the annual report (libs/evaluation/…/labels.de.ts). */
export const DE_REPORT = {
  reportLabels: {
    blocks: {
      referrals: 'Zugänge',
      decisions: 'Entscheidungen der Fachstelle Wohnen',
      cases: 'Fallbestand und Betreuung',
      closures: 'Beendete Hilfen',
      repeatCases: 'Nachhaltigkeit: Wiederholungsfälle',
    },
    metrics: {
      referrals: {
        total: 'Zugänge insgesamt',
        bySource: 'Zugänge nach Zugangsweg',
        byTargetGroup: 'Zugänge nach Zielgruppe',
        withChildren: 'davon Familien mit Kindern',
      },
      decisions: {
        approved: 'Hilfe bewilligt',
        rejected: 'Abgelehnt',
        rejectedByReason: 'Ablehnungen nach Grund',
        medianDaysToDecision: 'Tage bis zur Entscheidung (Median)',
      },
      cases: {
        activeAtStart: 'Laufende Hilfen zu Beginn des Zeitraums',
        activeAtEnd: 'Laufende Hilfen am Ende des Zeitraums',
        served: 'Betreute Haushalte im Zeitraum',
      },
      visits: {
        total: 'Hausbesuche insgesamt',
        householdMetShare: 'Anteil mit angetroffenem Haushalt',
        onTimeShare: 'Anteil im vereinbarten Turnus',
      },
      mediations: { total: 'Vermittlungen insgesamt', byKind: 'Vermittlungen nach Art' },
      housingSecured: { total: 'Wohnraum gesichert', byOutcome: 'Wohnraum gesichert nach Ergebnis' },
      closures: {
        total: 'Beendete Hilfen insgesamt',
        byReason: 'Beendete Hilfen nach Grund',
        medianDaysApprovalToClose: 'Hilfedauer in Tagen (Median)',
        housingSecuredRate: 'Anteil mit gesichertem Wohnraum',
      },
      repeatCases: { '6m': '6 Monate', '12m': '12 Monate', '24m': '24 Monate' },
    },
    repeat: {
      eligible: 'Betrachtete Fälle (Zeitfenster abgelaufen)',
      repeated: 'Erneut angefragt (Wiederholungsfälle)',
      share: 'Anteil Wiederholungsfälle',
    },
  },
} as const;
