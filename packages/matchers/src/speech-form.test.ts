import { describe, expect, it } from 'vitest';
import { FormRules } from './prompt-forms.js';
import { ENGLISH } from './word-lists.js';

const rules = new FormRules(ENGLISH);
const spoken = (text: string) => rules.forms('speech', text)?.canonical[0];
const same = (a: string, b: string) => expect(spoken(a), `${a} | ${b}`).toBe(spoken(b));
const apart = (a: string, b: string) => expect(spoken(a), `${a} | ${b}`).not.toBe(spoken(b));

describe('speech canonical form: never merges texts that sound different', () => {
  it('keeps numbers, prices, equations and ratios apart', () => {
    apart('2+2=4', '2-2=4');
    apart('Set the screen to 16:9.', 'Set the screen to 9:16.');
    apart('It costs $5.99.', 'It costs $99.5.');
    apart('It costs $5.99.', 'It costs $5.90.');
    apart('Take two tablets every four hours.', 'Take four tablets every two hours.');
    apart('Chapter 1,500', 'Chapter 15,00');
    apart('Room 101', 'Room 1 01');
    apart('Call 007', 'Call 7');
    apart('The year 1999', 'The year one thousand nine hundred ninety nine');
    apart('She came 21st.', 'She came 21.');
    apart('3.14', '3.41');
    apart('50%', '50');
    apart('-5 degrees', '5 degrees');
  });

  it('keeps negation, word order and words apart', () => {
    apart('The dog bites the man.', 'The man bites the dog.');
    apart('I can do it.', 'I cannot do it.');
    apart('Do not press the red button.', 'Do press the red button.');
    apart('Welcome back.', 'Welcome black.');
  });

  it('keeps what changes delivery: questions, exclamations, ellipses, pauses, acronyms', () => {
    apart('You are ready.', 'You are ready?');
    apart('You are ready!', 'You are ready?');
    apart('You are ready...', 'You are ready.');
    apart("Let's eat, grandma.", "Let's eat grandma.");
    apart('Wait. Listen.', 'Wait, listen.');
    apart('Made in the US.', 'Made in the us.');
    apart('Call me (maybe).', 'Call me maybe.');
  });

  it('merges what an engine reads the same way', () => {
    same('Hello world.', 'hello   world');
    same('Take 2 tablets.', 'Take two tablets.');
    same('Rock & roll', 'rock and roll');
    same('Save 20% today!', 'Save twenty percent today!');
    same('It costs $5.99.', 'It costs five dollars ninety-nine cents.');
    same('It costs $1.', 'It costs one dollar.');
    same('Only $0.50', 'only fifty cents');
    same('The 21st century', 'the twenty-first century');
    same('1,500 people came', 'one thousand five hundred people came');
    same('Pi is 3.14', 'pi is three point one four');
    same('“Quoted” words', '"quoted" words');
    same('It’s a well-known fact.', "it's a well known fact");
    same('Ｆｕｌｌｗｉｄｔｈ text', 'fullwidth text');
    same('Wait — what?', 'Wait - what?');
    same('Really?!', 'really ?!');
    same('Stop!!!', 'stop!');
    same('Wait… what', 'wait... what');
    same('EVERYTHING IS LOUD', 'everything is loud');
  });

  it('reads words that are also object property names as words', () => {
    expect(spoken('constructor toString __proto__ hasOwnProperty')).toBe(
      'constructor tostring __proto__ hasownproperty',
    );
    expect(rules.forms('image', 'constructor, __proto__')?.canonical).toEqual([
      'constructor, proto',
      '~constructor proto',
    ]);
  });

  it('has no form for punctuation only, and drops disfluencies from the content form only', () => {
    expect(rules.forms('speech', '?!... —')).toBeUndefined();
    expect(rules.forms('speech', '')).toBeUndefined();
    const forms = rules.forms('speech', 'Um, so we begin.');
    expect(forms?.canonical).toEqual(['um , so we begin']);
    expect(forms?.content).toEqual(['so we begin']);
  });
});
