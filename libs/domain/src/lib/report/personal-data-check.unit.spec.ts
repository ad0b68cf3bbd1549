import { patternsOf, personalDataIn } from './personal-data-check';

const households = [
  { name: 'Anna Maria Müller', address: 'Venloer Straße 12a, 50823 Köln' },
  { name: 'Mehmet Yılmaz', address: 'Am Rinkenpfuhl 5, 50676 Köln' },
  { name: 'Koch', address: 'ohne festen Wohnsitz' },
];

describe('the personal-data check of the report text', () => {
  it('finds a full name, as it is written in the text', () => {
    expect(personalDataIn('Wir haben Anna Maria Müller begleitet.', households)).toEqual(['Anna Maria Müller']);
  });

  it('finds the last name next to another part of the name, in either order and any case', () => {
    expect(personalDataIn('Frau ANNA MÜLLER und Yılmaz, Mehmet kamen.', households)).toEqual(['ANNA MÜLLER', 'Yılmaz, Mehmet']);
  });

  it('finds decomposed umlauts and the spelling without umlauts', () => {
    const decomposed = 'Bei Maria Mu\u0308ller.';
    expect(personalDataIn(decomposed, households)).toEqual(['Maria Mu\u0308ller']);
    expect(personalDataIn('Bei Anna Mueller.', households)).toEqual(['Anna Mueller']);
    expect(personalDataIn('MEHMET YILMAZ', households)).toEqual(['MEHMET YILMAZ']);
  });

  it('finds the street with its house number, also abbreviated', () => {
    expect(personalDataIn('Ein Haus in der Venloer Str. 12 wurde saniert.', households)).toEqual(['Venloer Str. 12']);
    expect(personalDataIn('In der Venloerstrasse 12 auch.', households)).toEqual([]);
    expect(personalDataIn('am rinkenpfuhl 5', households)).toEqual(['am rinkenpfuhl 5']);
  });

  it('leaves single words alone: a surname alone, a street without number, a one-word name', () => {
    expect(personalDataIn('Frau Müller, Herr Yılmaz und der Koch in der Venloer Straße.', households)).toEqual([]);
  });

  it('compares whole words only', () => {
    expect(personalDataIn('Annas Müllerei', households)).toEqual([]);
    expect(personalDataIn('Venloer Straße 123', households)).toEqual([]);
  });

  it('names each passage once, in the order of the text', () => {
    expect(personalDataIn('Am Rinkenpfuhl 5 wohnt Mehmet Yılmaz; Mehmet Yılmaz.', households)).toEqual([
      'Am Rinkenpfuhl 5',
      'Mehmet Yılmaz',
    ]);
  });

  it('a text without names passes', () => {
    expect(personalDataIn('Die Zahl der Zuweisungen stieg im Jahr 2025 deutlich.', households)).toEqual([]);
    expect(personalDataIn('', households)).toEqual([]);
  });

  it('a household is named by two-word patterns only', () => {
    expect(patternsOf(households[2])).toEqual([]);
    expect(patternsOf({ name: 'H. Becker', address: 'Ringstr. 3' })).toEqual([
      ['h', 'becker'],
      ['ringstr', '3'],
    ]);
  });
});
