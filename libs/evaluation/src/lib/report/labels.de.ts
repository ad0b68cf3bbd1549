import { formatDateDe } from './format';
import type { PeriodName, ReportLabels } from './labels';

const periodName = (period: PeriodName): string =>
  period.kind === 'year'
    ? String(period.year)
    : period.kind === 'quarter'
      ? `${period.quarter}. Quartal ${period.year}`
      : `${formatDateDe(period.from)}–${formatDateDe(period.to)}`;

const previousYear = (year: number): string => `Vorjahr ${year}`;

/** The same quarter a year earlier (the comparison of a quarter's report). */
const sameQuarterBefore = (current: PeriodName, comparison: PeriodName): boolean =>
  current.kind === 'quarter' &&
  comparison.kind === 'quarter' &&
  comparison.year === current.year - 1 &&
  comparison.quarter === current.quarter;

/**
 * German labels of the report: wording after the programme concept (Zielgruppe, Zugänge,
 * Fachstelle Wohnen, Wiederholungsfälle). Codes stay stable; only these texts are translated.
 */
export const LABELS_DE: ReportLabels = {
  lang: 'de',
  blocks: {
    referrals: 'Zugänge',
    decisions: 'Entscheidungen der Fachstelle Wohnen',
    cases: 'Fallbestand',
    visits: 'Hausbesuche',
    mediations: 'Vermittlungen',
    housingSecured: 'Wohnungssicherung',
    extensions: 'Verlängerungen der Hilfe',
    closures: 'Beendete Hilfen',
    repeatCases: 'Nachhaltigkeit: Wiederholungsfälle',
    helpPlans: 'Hilfeplanung: Beteiligung und Hilfe zur Selbsthilfe',
  },
  metrics: {
    referrals: {
      total: 'Zugänge insgesamt',
      bySource: 'Zugänge nach Zugangsweg',
      byTargetGroup: 'Zugänge nach Zielgruppe',
      withChildren: 'davon Familien mit Kindern',
      byHousingSituation: 'Zugänge nach Wohnsituation bei Anfrage',
      byThreatCause: 'Zugänge nach Ursache der Wohnungsgefährdung (Mehrfachnennung)',
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
      byConcern: 'Hausbesuche nach Anliegen (Mehrfachnennung)',
    },
    mediations: {
      total: 'Vermittlungen insgesamt',
      byKind: 'Vermittlungen nach Art',
      byInstitutionKind: 'Vermittlungen nach Art der Stelle',
    },
    housingSecured: { total: 'Wohnraum gesichert', byOutcome: 'Wohnraum gesichert nach Ergebnis' },
    extensions: { total: 'Verlängerungen insgesamt', byReason: 'Verlängerungen nach Grund' },
    closures: {
      total: 'Beendete Hilfen insgesamt',
      byReason: 'Beendete Hilfen nach Grund',
      medianDaysApprovalToClose: 'Hilfedauer in Tagen (Median)',
      housingSecuredRate: 'Anteil mit gesichertem Wohnraum',
      byHousingAtClose: 'Beendete Hilfen nach Wohnsituation bei Beendigung',
    },
    repeatCases: { '6m': '6 Monate', '12m': '12 Monate', '24m': '24 Monate' },
    helpPlans: {
      casesWithPlan: 'Betreute Haushalte mit Hilfeplan',
      plansAgreed: 'Hilfepläne vereinbart',
      householdParticipated: 'davon unter Beteiligung des Haushalts',
      goalsAgreed: 'Vereinbarte Ziele',
      goalsByArea: 'Vereinbarte Ziele nach Bereich',
      goalsByActor: 'Vereinbarte Ziele nach Handelnden',
      goalsSettled: 'Abgeschlossene Ziele',
      settledByStatus: 'Abgeschlossene Ziele nach Ergebnis',
      settledByArea: 'Abgeschlossene Ziele nach Bereich',
      settledByActor: 'Abgeschlossene Ziele nach Handelnden',
      achievedByArea: 'Erreichte Ziele nach Bereich',
      achievedByActor: 'Erreichte Ziele nach Handelnden',
      achievedShareByArea: 'Anteil erreichter Ziele nach Bereich',
      achievedShareByActor: 'Anteil erreichter Ziele nach Handelnden (Hilfe zur Selbsthilfe: Haushalt selbst)',
      goalsReviewed: 'Überprüfte Ziele',
      viewAtLastReview: 'Überprüfte Ziele nach Sicht des Haushalts bei der letzten Überprüfung',
    },
  },
  repeatFigures: {
    eligible: 'Betrachtete Fälle (Zeitfenster abgelaufen)',
    repeated: 'Erneut angefragt (Wiederholungsfälle)',
    share: 'Anteil Wiederholungsfälle',
  },
  codes: {
    referralSource: {
      self: 'Selbstmelder/innen',
      free_provider: 'Freie Träger und soziale Einrichtungen',
      housing_company: 'Wohnungsbaugesellschaften',
      private_landlord: 'Örtliche Vermieter/innen',
      jobcenter: 'Jobcenter',
      social_office: 'Amt für Soziales und Senioren',
      senior_counselling: 'Seniorenberatung',
      asd: 'Allgemeiner Sozialer Dienst (ASD)',
      fachstelle_wohnen: 'Fachstelle Wohnen',
      social_space_coordination: 'Sozialraumkoordination',
      parish: 'Pfarrgemeinden',
      other: 'Sonstige',
    },
    targetGroup: {
      recommitted: 'Wiedereinweisung',
      committed_vacant: 'Einweisung in leerstehenden Wohnraum',
      prevention_aftercare: 'Präventionsnachsorge',
    },
    housingSituation: {
      seized_flat: 'Beschlagnahmte Wohnung',
      committed_housing: 'Ordnungsbehördliche Einweisung',
      own_tenancy_at_risk: 'Eigenes Mietverhältnis, gefährdet',
      other: 'Sonstige',
    },
    threatCause: {
      rent_arrears: 'Mietschulden',
      tenancy_behaviour: 'Mietwidriges Verhalten',
      eviction_suit: 'Räumungsklage',
      income_problems: 'Probleme mit dem Einkommen',
      family_crisis: 'Familiäre Krise',
      health: 'Gesundheitliche Gründe',
      other: 'Sonstige',
    },
    existingAid: { sgb_xii_67: 'Hilfe nach § 67 SGB XII', sgb_xii_53: 'Hilfe nach § 53 SGB XII', sgb_viii: 'Hilfe nach SGB VIII' },
    visitConcern: {
      economic: 'Wirtschaftliche Schwierigkeiten',
      family: 'Familiäre Schwierigkeiten',
      tenancy: 'Mietverhältnis',
      health: 'Gesundheit',
      other: 'Sonstige',
    },
    mediationKind: {
      landlord: 'Vermittlung mit Vermieter/in',
      jobcenter: 'Vermittlung mit dem Jobcenter',
      landlord_negotiation: 'Verhandlung mit neuen Vermieter/innen',
      debt_counselling: 'Schuldnerberatung',
      addiction_help: 'Suchthilfe',
      family_help: 'Familienhilfe',
      senior_counselling: 'Seniorenberatung',
      sgb_xii_67: 'Hilfen nach § 67 ff. SGB XII',
      other: 'Sonstige',
    },
    institutionKind: {
      private_landlord: 'Private Vermieter/innen',
      housing_company: 'Wohnungsbaugesellschaft',
      jobcenter: 'Jobcenter',
      social_office: 'Amt für Soziales und Senioren',
      youth_office: 'Jugendamt',
      health_service: 'Gesundheitsdienst',
      counselling_service: 'Beratungsstelle',
      court: 'Gericht',
      utility_company: 'Energieversorger',
      other: 'Sonstige',
    },
    rejectionReason: {
      comparable_aid_installed: 'Vergleichbare Hilfe bereits installiert',
      not_target_group: 'Nicht Zielgruppe',
      declined_by_household: 'Vom Haushalt abgelehnt',
      other: 'Sonstige',
    },
    housingOutcome: {
      tenancy_preserved: 'Mietverhältnis erhalten',
      own_tenancy_agreement: 'Eigener Mietvertrag abgeschlossen',
      other: 'Sonstige',
    },
    extensionReason: {
      goal_not_yet_reached: 'Ziel noch nicht erreicht',
      housing_search_ongoing: 'Wohnungssuche läuft',
      new_crisis: 'Neue Krise',
      other: 'Sonstige',
    },
    closingReason: {
      goal_achieved: 'Ziel erreicht',
      time_limit_reached: 'Befristung abgelaufen',
      consent_withdrawn: 'Einwilligung widerrufen',
      unreachable: 'Nicht erreichbar',
      moved_away: 'Verzogen',
      transferred_to_other_aid: 'In andere Hilfe übergeleitet',
      other: 'Sonstige',
    },
    housingAtClose: {
      own_tenancy: 'Eigenes Mietverhältnis',
      committed_housing: 'Ordnungsbehördlich untergebracht',
      homeless: 'Wohnungslos',
      unknown: 'Unbekannt',
    },
    activityKind: {
      networking: 'Vernetzung im Sozialraum',
      public_relations: 'Öffentlichkeitsarbeit',
      landlord_acquisition: 'Akquise von Vermieter/innen',
      cooperation_fachstelle: 'Kooperation mit der Fachstelle Wohnen',
      case_conference: 'Fallübergreifende Fallkonferenz',
      training: 'Fortbildung',
      other: 'Sonstige',
    },
    district: {
      innenstadt: 'Innenstadt',
      rodenkirchen: 'Rodenkirchen',
      lindenthal: 'Lindenthal',
      ehrenfeld: 'Ehrenfeld',
      nippes: 'Nippes',
      chorweiler: 'Chorweiler',
      porz: 'Porz',
      kalk: 'Kalk',
      muelheim: 'Mülheim',
      citywide: 'Stadtweit',
    },
    // the same wording as the case view, so caseworkers and evaluators read the same codes alike
    goalArea: {
      housing: 'Wohnen',
      rent_and_debts: 'Miete und Schulden',
      income_and_benefits: 'Einkommen und Leistungen',
      family: 'Familie',
      health: 'Gesundheit',
      daily_living: 'Alltag',
      other: 'Sonstiges',
    },
    goalActor: { household: 'Haushalt selbst', caseworker: 'Fachkraft', together: 'Gemeinsam', other_service: 'Anderer Dienst' },
    goalStatus: { open: 'Offen', in_progress: 'In Arbeit', achieved: 'Erreicht', dropped: 'Aufgegeben' },
    householdView: { satisfied: 'Zufrieden', partly: 'Teilweise zufrieden', not_satisfied: 'Nicht zufrieden', not_asked: 'Nicht gefragt' },
  },
  activities: {
    heading: 'Einzelfallübergreifende Tätigkeiten',
    intro:
      'Vernetzung, Öffentlichkeitsarbeit und Kooperation ohne Bezug zu einem Haushalt. Gezählt wird Arbeit der Fachkräfte, nicht Haushalte: die Zahlen werden vollständig veröffentlicht. Eine Tätigkeit mit mehreren Partnern zählt bei jedem Partner.',
    total: 'Tätigkeiten insgesamt',
    hours: 'Stunden insgesamt',
    participants: 'Teilnehmende insgesamt',
    byKind: 'Tätigkeiten nach Art',
    byPartner: 'Tätigkeiten nach Partner',
    byDistrict: 'Tätigkeiten nach Stadtbezirk',
    count: 'Anzahl',
    cellHours: 'Stunden',
  },
  caseExportColumns: {
    pseudonym: 'Pseudonym',
    referralSource: 'Zugangsweg',
    targetGroup: 'Zielgruppe',
    withChildren: 'Familie mit Kindern',
    repeatReferral: 'Erneute Anfrage',
    decision: 'Entscheidung',
    rejectionReason: 'Ablehnungsgrund',
    receivedMonth: 'Eingangsmonat',
    weeksToDecision: 'Wochen bis zur Entscheidung',
    weeksApprovalToClose: 'Hilfedauer in Wochen',
    visits: 'Hausbesuche',
    mediations: 'Vermittlungen',
    housingOutcome: 'Wohnungssicherung',
    closingReason: 'Beendigungsgrund',
    housingAtClose: 'Wohnsituation bei Beendigung',
    repeated6m: 'Wiederholungsfall binnen 6 Monaten',
    repeated12m: 'Wiederholungsfall binnen 12 Monaten',
    repeated24m: 'Wiederholungsfall binnen 24 Monaten',
  },
  texts: {
    title: (period) => (period.kind === 'year' ? `Jahresbericht ${period.year}` : `Bericht ${periodName(period)}`),
    programme: 'Wohnintegrationshilfe',
    periodName,
    comparison: (current, comparison) =>
      current.kind === 'year' && comparison.kind === 'year' && comparison.year === current.year - 1
        ? previousYear(comparison.year)
        : periodName(comparison),
    period: (from, to) => `Berichtszeitraum: ${from} bis ${to}`,
    asOf: (when) => `Stand: ${when}`,
    generatedAt: (when) => `Erstellt am ${when}`,
    dueBy: (date) => `Vorzulegen bis ${date}`,
    anonymisationHeading: 'Hinweis zur Anonymisierung',
    anonymisation: [
      'Alle Zahlen sind anonymisiert: Werte von 1 bis 4 werden als „<5“ ausgewiesen (0 bleibt 0).',
      'Ließe sich ein verdeckter Wert aus der Summe und den übrigen Werten errechnen, wird ein weiterer Wert verdeckt („unterdrückt“).',
      'Anteile und Mediane, die auf weniger als 5 Fällen beruhen, werden nicht ausgewiesen (–).',
      'Gezählt werden Fälle, bei Hausbesuchen und Vermittlungen die einzelnen Termine, bei Verlängerungen jede einzelne Verlängerung.',
      'Bei Mehrfachnennungen (Ursachen der Wohnungsgefährdung, Anliegen beim Hausbesuch) zählt jeder Fall oder Besuch je genannter Angabe einmal; diese Werte ergeben zusammen nicht die Gesamtzahl.',
    ],
    allCases: 'Alle Haushalte',
    withChildren: 'Familien mit Kindern',
    withChildrenIntro: 'Dieselben Kennzahlen, beschränkt auf Haushalte, die bei der Anfrage Kinder hatten.',
    figure: 'Kennzahl',
    previousYear,
    change: 'Veränderung',
    changeUnavailable: 'nicht berechenbar',
    notPublished: '–',
    notPublishedTitle: 'nicht ausgewiesen (weniger als 5 Fälle)',
    lessThanFive: '<5',
    lessThanFiveTitle: 'ein Wert von 1 bis 4',
    suppressed: 'unterdrückt',
    suppressedTitle: 'zum Schutz eines anderen Werts verdeckt',
    percentagePoints: 'Pp.',
    window: 'Zeitfenster nach Beendigung',
    repeatIntro:
      'Betrachtet werden Hilfen, die im Berichtszeitraum nach gesichertem Wohnraum beendet wurden. Ein Wiederholungsfall liegt vor, ' +
      'wenn derselbe Haushalt innerhalb des Zeitfensters nach der Beendigung erneut angefragt wurde. Gezählt wird ein Fall erst, ' +
      'wenn sein Zeitfenster abgelaufen ist.',
    note: 'Hinweis',
    windowIncomplete: (period, completeOn) => `${period}: Zeitfenster noch nicht für alle Fälle abgelaufen (vollständig ab ${completeOn})`,
    windowComplete: 'Zeitfenster abgelaufen',
    overviewChart: (current, comparison) =>
      current.kind === 'year' && comparison.kind === 'year' && comparison.year === current.year - 1
        ? `Kennzahlen ${current.year} im Vergleich zum Vorjahr`
        : sameQuarterBefore(current, comparison)
          ? `Kennzahlen ${periodName(current)} im Vergleich zum Vorjahresquartal`
          : `Kennzahlen ${periodName(current)} im Vergleich zum Zeitraum ${periodName(comparison)}`,
    breakdownChart: (what, period) => `${what} ${period}`,
    chartAlternative: 'Die Werte des Diagramms stehen auch in der Tabelle.',
    pageOf: (page, pages) => `Seite ${page} von ${pages}`,
    notRecorded: 'Keine Angabe',
    goalThreeHeading: 'Ziel 3: Keine Wohnungslosigkeit, vor allem nicht für Familien mit Kindern',
    goalThreeIntro:
      'Ziel 3 des Konzepts: Wohnungslosigkeit und ordnungsbehördliche Unterbringung vermeiden, vor allem für Familien ' +
      'mit Kindern. Gezeigt wird die Wohnsituation bei Beendigung der im Berichtszeitraum beendeten Hilfen, für alle Haushalte und ' +
      'für Familien mit Kindern.',
    goalThreeChart: (period) => `Wohnsituation bei Beendigung ${period}: alle Haushalte und Familien mit Kindern`,
  },
};
