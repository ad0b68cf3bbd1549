/**
 * German labels of the domain's enumerations (DOMAIN.md). The keys are the stable codes the API
 * speaks, in the domain's order (test/web-vocabulary.int.spec.ts keeps them in step with
 * libs/domain); the wording follows the annual report's labels (libs/evaluation/…/labels.de.ts).
 */
export const CODES_DE = {
  status: { referred: 'Angefragt', active: 'Laufende Hilfe', rejected: 'Abgelehnt', closed: 'Beendet' },
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
  goalArea: {
    housing: 'Wohnen',
    rent_and_debts: 'Miete und Schulden',
    income_and_benefits: 'Einkommen und Leistungen',
    family: 'Familie',
    health: 'Gesundheit',
    daily_living: 'Alltag',
    other: 'Sonstiges',
  },
  goalActor: { household: 'Haushalt', caseworker: 'Fachkraft', together: 'Gemeinsam', other_service: 'Anderer Dienst' },
  goalStatus: { open: 'Offen', in_progress: 'In Arbeit', achieved: 'Erreicht', dropped: 'Aufgegeben' },
  detailsChangeReason: { moved: 'Umzug', new_phone: 'Neue Telefonnummer', correction: 'Berichtigung' },
  householdView: { satisfied: 'Zufrieden', partly: 'Teilweise zufrieden', not_satisfied: 'Nicht zufrieden', not_asked: 'Nicht gefragt' },
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
  role: { caseworker: 'Fachkraft (SKM)', fachstelle: 'Fachstelle Wohnen', evaluator: 'Auswertung', admin: 'Betrieb' },
  eventType: {
    ReferralReceived: 'Anfrage aufgenommen',
    ReferralApproved: 'Hilfe bewilligt',
    ReferralRejected: 'Anfrage abgelehnt',
    HomeVisitRecorded: 'Hausbesuch',
    HelpMediated: 'Vermittlung',
    HousingSecured: 'Wohnraum gesichert',
    HelpPeriodExtended: 'Hilfezeitraum verlängert',
    CaseworkerReassigned: 'Fachkraft gewechselt',
    CaseClosed: 'Hilfe beendet',
    HelpPlanAgreed: 'Hilfeplan vereinbart',
    GoalReviewed: 'Ziel überprüft',
    HouseholdDetailsChanged: 'Kontaktdaten geändert',
    PersonalDataErased: 'Personenbezogene Daten gelöscht',
  },
  projectionStatus: {
    running: 'läuft',
    'catching-up': 'holt auf',
    standby: 'in Bereitschaft',
    stopped: 'angehalten',
    failed: 'Fehler',
  },
  rebuildStatus: { running: 'läuft', done: 'fertig', failed: 'fehlgeschlagen', cancelled: 'abgebrochen' },
} as const;

export type CodeList = keyof typeof CODES_DE;
export type Code<L extends CodeList> = keyof (typeof CODES_DE)[L] & string;

/** The codes of a list, in order (for selects and checkbox groups). */
export const codesOf = <L extends CodeList>(list: L): Code<L>[] => Object.keys(CODES_DE[list]) as Code<L>[];

/** The label of a code; an unknown code (a newer server) shows as itself rather than nothing. */
export const labelOf = (list: CodeList, code: string | null | undefined): string =>
  code == null ? '–' : ((CODES_DE[list] as Record<string, string>)[code] ?? code);
