import type { Household } from '@wih/domain';
import type { Prng } from './prng';

/**
 * Fake personal data in the style of Cologne households: invented combinations of common names
 * and real street names, so that search, sorting and umlaut folding meet realistic text. No
 * household here exists.
 */
export const SURNAMES = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
  'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
  'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier',
  'Lehmann', 'Schmid', 'Schulze', 'Maier', 'Köhler', 'Herrmann', 'König', 'Walter', 'Mayer', 'Huber',
  'Kaiser', 'Fuchs', 'Peters', 'Lang', 'Scholz', 'Möller', 'Weiß', 'Jung', 'Hahn', 'Schubert',
  'Vogel', 'Friedrich', 'Keller', 'Günther', 'Frank', 'Berger', 'Winkler', 'Roth', 'Beck', 'Lorenz',
  'Baumann', 'Franke', 'Albrecht', 'Schuster', 'Simon', 'Ludwig', 'Böhm', 'Winter', 'Kraus', 'Martin',
  'Schumacher', 'Krämer', 'Vogt', 'Stein', 'Jäger', 'Otto', 'Sommer', 'Groß', 'Seidel', 'Heinrich',
  'Brandt', 'Haas', 'Schreiber', 'Graf', 'Schulte', 'Dietrich', 'Ziegler', 'Kuhn', 'Kühn', 'Pohl',
  'Engel', 'Horn', 'Busch', 'Bergmann', 'Thomas', 'Voigt', 'Sauer', 'Arnold', 'Wolff', 'Pfeiffer',
  'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan',
  'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Koç', 'Kowalski', 'Nowak', 'Wiśniewski', 'Wójcik', 'Lewandowski',
  'Popescu', 'Ionescu', 'Dimitrov', 'Petrov', 'Ivanova', 'Hadžić', 'Kovačević', 'Marković', 'Rossi', 'Esposito',
  'Haddad', 'Hassan', 'Ahmadi', 'Mohammadi', 'Rahimi', 'Al-Masri', 'Ibrahim', 'Osman', 'Mensah', 'Okafor',
  'Nguyen', 'Tran', 'Papadopoulos', 'Georgiou', 'García', 'Fernández', 'Santos', 'Pereira', 'Berisha', 'Krasniqi',
] as const;

const FIRST_NAMES_F = [
  'Anna', 'Sabine', 'Petra', 'Monika', 'Claudia', 'Susanne', 'Andrea', 'Nicole', 'Stefanie', 'Julia',
  'Katharina', 'Sandra', 'Melanie', 'Jessica', 'Laura', 'Lea', 'Emine', 'Ayşe', 'Fatma', 'Zeynep',
  'Agnieszka', 'Elena', 'Maria', 'Fatima', 'Amira', 'Leyla', 'Jana', 'Ursula', 'Renate', 'Gisela',
];
const FIRST_NAMES_M = [
  'Thomas', 'Michael', 'Andreas', 'Stefan', 'Frank', 'Markus', 'Christian', 'Jürgen', 'Uwe', 'Klaus',
  'Peter', 'Wolfgang', 'Dirk', 'Sven', 'Kevin', 'Dennis', 'Mehmet', 'Mustafa', 'Ali', 'Hüseyin',
  'Piotr', 'Ion', 'Dragan', 'Ahmad', 'Omar', 'Karim', 'Jan', 'Heinz', 'Günter', 'Dieter',
];

/** Streets with a postcode they lie in; the numbers are invented. */
const STREETS: readonly (readonly [string, string])[] = [
  ['Venloer Str.', '50823'], ['Subbelrather Str.', '50823'], ['Neusser Str.', '50733'], ['Kalker Hauptstr.', '51103'],
  ['Frankfurter Str.', '51065'], ['Berliner Str.', '51063'], ['Keupstr.', '51063'], ['Deutz-Mülheimer Str.', '51063'],
  ['Chorweiler Ring', '50765'], ['Pariser Platz', '50765'], ['Osloer Str.', '50765'], ['Stockholmer Allee', '50765'],
  ['Florenzer Str.', '50765'], ['Mailänder Passage', '50765'], ['Merianstr.', '50765'], ['Taborer Str.', '50769'],
  ['Ossendorfer Weg', '50827'], ['Bocklemünder Weg', '50827'], ['Äußere Kanalstr.', '50827'], ['Escher Str.', '50739'],
  ['Ehrenfeldgürtel', '50823'], ['Vogelsanger Str.', '50823'], ['Aachener Str.', '50674'], ['Luxemburger Str.', '50674'],
  ['Zülpicher Str.', '50937'], ['Bonner Str.', '50677'], ['Severinstr.', '50678'], ['Brühler Str.', '50968'],
  ['Porzer Ringstr.', '51143'], ['Hauptstr.', '51143'], ['Gremberger Str.', '51105'], ['Rolshover Str.', '51105'],
  ['Olpener Str.', '51103'], ['Rösrather Str.', '51107'], ['Ostheimer Str.', '51107'], ['Buchheimer Str.', '51063'],
  ['Wiener Platz', '51065'], ['Bergisch Gladbacher Str.', '51065'], ['Dünnwalder Kommunalweg', '51069'], ['Mülheimer Str.', '51375'],
  ['Militärringstr.', '50737'], ['Longericher Str.', '50739'], ['Bilderstöckchen', '50739'], ['Nibelungenstr.', '50739'],
  ['Kölnberg', '50997'], ['An der Fuhr', '50997'], ['Meschenicher Str.', '50997'], ['Auf dem Ginsterberg', '51109'],
];

const REFERRAL_NOTES = [
  'Mietrückstände seit drei Monaten, Vermieter hat fristlose Kündigung angedroht.',
  'Familie lebt seit der Einweisung in beengten Verhältnissen, Schimmel im Kinderzimmer.',
  'Räumungsklage anhängig, Termin beim Amtsgericht steht noch aus.',
  'Nach Trennung allein mit den Kindern, Einkommen reicht nicht für die Miete.',
  'Konflikte mit Nachbarn wegen Lärm, Hausverwaltung hat abgemahnt.',
  'Jobcenter-Leistungen wurden eingestellt, Weiterbewilligungsantrag fehlt.',
  'Gesundheitliche Probleme, Post wird seit Wochen nicht geöffnet.',
  'Stromsperre angekündigt, Abschlagszahlungen offen.',
  'Wohnung wurde durch die Ordnungsbehörde beschlagnahmt, Nutzungsentschädigung offen.',
  'Vermieter verweigert Reparaturen, Mieter hat Miete eigenmächtig gemindert.',
];
const VISIT_NOTES = [
  'Hausbesuch: Mietrückstand besprochen, Ratenzahlung mit Vermieter vorbereitet.',
  'Niemand angetroffen, Nachricht im Briefkasten hinterlassen.',
  'Unterlagen für das Jobcenter gemeinsam sortiert, Antrag ausgefüllt.',
  'Wohnung in ordentlichem Zustand, Familie wirkt entlastet.',
  'Post der letzten Wochen durchgesehen, zwei Mahnungen dabei.',
  'Gespräch über Wohnungssuche, Suchprofil bei der Wohnungsbaugesellschaft angelegt.',
  'Tochter hat neuen Kitaplatz, Alltag stabiler.',
  'Vermieter war anwesend, Termin zur Wohnungsbegehung vereinbart.',
  'Stromanbieter angerufen, Sperre vorerst abgewendet.',
  'Haushalt wirkt überfordert, Kontakt zur Schuldnerberatung angeregt.',
];
const MEDIATION_NOTES = [
  'Telefonat mit der Hausverwaltung, Ratenzahlung über sechs Monate vereinbart.',
  'Termin beim Jobcenter begleitet, Mietübernahme zugesagt.',
  'Erstgespräch Schuldnerberatung vereinbart.',
  'Besichtigung bei der GAG begleitet.',
  'Kontakt zum ASD hergestellt, Familienhilfe wird geprüft.',
  'Suchtberatung informiert, Haushalt möchte Termin selbst vereinbaren.',
];
const CLOSING_NOTES = [
  'Mietverhältnis stabil, Haushalt kommt allein zurecht.',
  'Eigener Mietvertrag unterschrieben, Umzug erfolgt.',
  'Haushalt ist unbekannt verzogen.',
  'Hilfe auf Wunsch des Haushalts beendet.',
  'Übergang in Hilfe nach § 67 SGB XII.',
  'Befristung erreicht, Anschlussberatung angeboten.',
];
const REJECTION_NOTES = [
  'Hilfe nach § 67 SGB XII ist bereits installiert.',
  'Haushalt wünscht keine Unterstützung.',
  'Keine Zielgruppe: Wohnverhältnis nicht gefährdet.',
];

export type NoteKind = 'referral' | 'visit' | 'mediation' | 'closing' | 'rejection';
const NOTES: Record<NoteKind, readonly string[]> = {
  referral: REFERRAL_NOTES, visit: VISIT_NOTES, mediation: MEDIATION_NOTES, closing: CLOSING_NOTES, rejection: REJECTION_NOTES,
};

/** A note, or none: caseworkers leave the field empty often enough. */
export const noteOf = (rng: Prng, kind: NoteKind, share: number): string | undefined =>
  rng.chance(share) ? rng.pick(NOTES[kind]) : undefined;

export const addressOf = (rng: Prng): string => {
  const [street, postcode] = rng.pick(STREETS);
  return `${street} ${rng.int(1, 180)}, ${postcode} Köln`;
};

const phoneOf = (rng: Prng): string =>
  rng.chance(0.4) ? `0221 ${rng.int(100000, 9999999)}` : `01${rng.pick(['51', '52', '57', '60', '62', '70', '76'])} ${rng.int(1000000, 99999999)}`;

/** Families are named by the family name, single adults by their own name. */
export const householdOf = (rng: Prng, adults: number, children: number): Household => {
  const surname = rng.pick(SURNAMES);
  const single = adults === 1 && children === 0;
  const name = single
    ? rng.chance(0.5) ? `Frau ${rng.pick(FIRST_NAMES_F)} ${surname}` : `Herr ${rng.pick(FIRST_NAMES_M)} ${surname}`
    : `Familie ${surname}`;
  const address = addressOf(rng);
  return rng.chance(0.65) ? { name, address, phone: phoneOf(rng) } : { name, address };
};
