// Where the long Swedish compounds of the statistics' headings may break, in the web app and in the
// report's HTML edition. A browser hyphenates only with a dictionary for the language, and Chromium
// has none for Swedish offline, so a heading on a phone either ran off the screen or broke a word
// without a hyphen. The joints are listed here, word for word: a word not in the list is never broken.

/** The soft hyphen: a break with a visible hyphen, nothing when the line does not break there. */
export const SHY = '\u00ad';

// Each word as it is written in a heading (lower case), "|" at its joints.
const compounds = [
  'människo|exploatering',
  'människo|handel',
  'arbets|krafts|exploatering',
  'arbets|livs|kriminalitet',
  'arbets|plats|inspektion',
  'arbets|plats|inspektioner',
  'exploaterings|form',
  'exploaterings|former',
  'exploaterings|formerna',
  'region|koordinator',
  'region|koordinatorn',
  'region|koordinatorer',
  'region|koordinatorerna',
  'region|koordinatorernas',
  'civil|samhället',
  'civil|samhällets',
  'civil|samhälles|organisationens',
  'identifierings|datum',
  'konsistens|kontroller',
  'stöd|programmen',
  'stöd|programmens',
  'stöd|programmets',
  'röjande|skydd',
  'röjande|skyddat',
  'röjande|skyddade',
  'data|kvaliteten',
  'myndighets|gemensam',
  'återvändande|program',
  'skönhets|branschen',
  'trädgårds|arbete',
  'uppehålls|tillstånd',
  'medlems|organisation',
  'tabell|verktyget',
  'statistik|sidan',
];

/** Offsets of the joints of each listed word, keyed by the word without them. */
const joints = new Map(
  compounds.map((c) => {
    const parts = c.split('|');
    return [parts.join(''), parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('').length)] as const;
  }),
);

/** The text with a soft hyphen at every joint of a listed compound (any case); all else as it was. */
export function hyphenate(text: string): string {
  return text.replace(/\p{L}+/gu, (word) => {
    const at = joints.get(word.toLocaleLowerCase('sv'));
    // A word whose lower case has another length (rare letters) keeps its offsets only if they still fit.
    if (!at || word.toLocaleLowerCase('sv').length !== word.length) return word;
    let out = '';
    let from = 0;
    for (const i of at) {
      out += word.slice(from, i) + SHY;
      from = i;
    }
    return out + word.slice(from);
  });
}

/** The listed compounds without their joints (for tests). */
export const hyphenatedWords = [...joints.keys()];
