// The word lists the canonical forms and the similarity guard read, per language. Data only:
// the rules that use them live in the form files. Every entry is lowercase.

/** The lists of one language. Override any of them with `words` on a matcher. */
export interface WordLists {
  /**
   * Bumped whenever a list of the defaults changes. Matchers rebuild their forms from the
   * stored raw prompts when a process starts, so a new version only changes which stored
   * entries later requests may match; nothing stored has to be migrated.
   */
  version: number;
  /** Words that carry nothing in an image prompt ("a cat" = "cat"). */
  articles: readonly string[];
  /**
   * Words and phrases (after articles are dropped) that ask for the picture without
   * describing it: "image of", "please". Ignorable by the guard only.
   */
  fillers: readonly string[];
  /** Quality boosters an image model treats as noise: "4k", "highly detailed". Ignorable by the guard only. */
  boosters: readonly string[];
  /** Spoken hesitations ("um"); ignorable by the guard for speech, which is opt-in. */
  disfluencies: readonly string[];
  /** Word → the word it is written as in canonical image forms: spelling variants and true synonyms. */
  synonyms: Readonly<Record<string, string>>;
  /** Words that negate what follows: never allowed on an ignorable list, never dropped. */
  negations: readonly string[];
  /** Number words 0–19, by value. */
  units: readonly string[];
  /** Tens words 20–90, from index 2 (indexes 0 and 1 are unused, keep them empty). */
  tens: readonly string[];
  /** The words for 100, 10³, 10⁶, 10⁹, 10¹², and the decimal point. */
  scales: Readonly<{ hundred: string; groups: readonly string[]; point: string }>;
  /** Ordinal words for 1–19 and for the tens, by the cardinal they replace. */
  ordinals: Readonly<Record<string, string>>;
  /** Symbols a speech engine reads as a word. */
  symbolWords: Readonly<Record<string, string>>;
  /** Currency symbols: the unit (singular, plural) and the hundredth (singular, plural). */
  currencies: Readonly<Record<string, readonly [string, string, string, string]>>;
}

const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];

/** English, the default language. */
export const ENGLISH: WordLists = Object.freeze({
  version: 1,
  articles: Object.freeze(['a', 'an', 'the']),
  fillers: Object.freeze([
    'please',
    'image of',
    'picture of',
    'an image showing',
    'image showing',
    'picture showing',
    'generate',
    'create',
    'make me',
    'give me',
    'i want',
    'i need',
    'show me',
  ]),
  boosters: Object.freeze([
    '4k',
    '8k',
    'hd',
    'uhd',
    'hdr',
    'high quality',
    'best quality',
    'top quality',
    'highest quality',
    'masterpiece',
    'highly detailed',
    'ultra detailed',
    'very detailed',
    'extremely detailed',
    'detailed',
    'intricate details',
    'intricate detail',
    'sharp focus',
    'high resolution',
    'hi res',
    'hires',
    'trending on artstation',
    'artstation',
    'award winning',
    'stunning',
  ]),
  disfluencies: Object.freeze(['um', 'uh', 'erm', 'er', 'uhm', 'umm', 'hmm']),
  synonyms: Object.freeze({
    photograph: 'photo',
    pic: 'picture',
    colour: 'color',
    colours: 'colors',
    coloured: 'colored',
    colourful: 'colorful',
    grey: 'gray',
    aeroplane: 'airplane',
    aeroplanes: 'airplanes',
    centre: 'center',
    theatre: 'theater',
    neighbour: 'neighbor',
    neighbourhood: 'neighborhood',
    harbour: 'harbor',
    jewellery: 'jewelry',
    tyre: 'tire',
    tyres: 'tires',
    donut: 'doughnut',
    donuts: 'doughnuts',
    tv: 'television',
  }),
  negations: Object.freeze([
    'no',
    'not',
    'never',
    'without',
    'none',
    'nobody',
    'nothing',
    'neither',
    'nor',
    'non',
    'cannot',
    "can't",
    "don't",
    "doesn't",
    "isn't",
    "aren't",
    "won't",
    'except',
    'minus',
  ]),
  units: Object.freeze(UNITS),
  tens: Object.freeze(['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']),
  scales: Object.freeze({
    hundred: 'hundred',
    groups: Object.freeze(['', 'thousand', 'million', 'billion', 'trillion']),
    point: 'point',
  }),
  ordinals: Object.freeze({
    one: 'first',
    two: 'second',
    three: 'third',
    four: 'fourth',
    five: 'fifth',
    six: 'sixth',
    seven: 'seventh',
    eight: 'eighth',
    nine: 'ninth',
    ten: 'tenth',
    eleven: 'eleventh',
    twelve: 'twelfth',
    thirteen: 'thirteenth',
    fourteen: 'fourteenth',
    fifteen: 'fifteenth',
    sixteen: 'sixteenth',
    seventeen: 'seventeenth',
    eighteen: 'eighteenth',
    nineteen: 'nineteenth',
    twenty: 'twentieth',
    thirty: 'thirtieth',
    forty: 'fortieth',
    fifty: 'fiftieth',
    sixty: 'sixtieth',
    seventy: 'seventieth',
    eighty: 'eightieth',
    ninety: 'ninetieth',
    hundred: 'hundredth',
    thousand: 'thousandth',
    million: 'millionth',
    billion: 'billionth',
    trillion: 'trillionth',
  }),
  symbolWords: Object.freeze({ '&': 'and', '@': 'at', '%': 'percent', '+': 'plus', '=': 'equals' }),
  currencies: Object.freeze({
    $: Object.freeze(['dollar', 'dollars', 'cent', 'cents'] as const),
    '€': Object.freeze(['euro', 'euros', 'cent', 'cents'] as const),
    '£': Object.freeze(['pound', 'pounds', 'penny', 'pence'] as const),
  }),
});

/** The built-in lists, keyed by language. */
export const WORD_LISTS: Readonly<Record<string, WordLists>> = Object.freeze({ en: ENGLISH });
