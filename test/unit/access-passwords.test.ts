// The rule for new passwords: the well-known weak ones are refused with a reason in Swedish and
// English, decent passphrases (and every password the project's own fixtures and demo use) pass.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPassword, guessesLog10, MIN_GUESSES_LOG10 } from '../../src/access/passwords.ts';
import { TEST_PASSWORD } from '../support/http.ts';

describe('password strength', () => {
  it('refuses the four weak passwords that used to pass, naming the rule in both languages', () => {
    for (const weak of ['123456789012345', 'qwertyuiopasdfgh', 'correcthorsebatterystaple', 'ilovesweden12345']) {
      const problem = checkPassword(weak);
      expect(problem, weak).not.toBeNull();
      expect(['common', 'known_passphrase', 'guessable']).toContain(problem!.rule);
      expect(problem!.message.sv.length).toBeGreaterThan(20);
      expect(problem!.message.en.length).toBeGreaterThan(20);
      expect(problem!.message.sv).not.toBe(problem!.message.en);
    }
    // The ones that are not simply on the common list fail the estimate, not by accident.
    expect(checkPassword('ilovesweden12345')?.rule).toBe('guessable');
    expect(checkPassword('qwertyuiopasdfgh')?.rule).toBe('guessable');
  });

  it('knows famous passphrases however they are spaced, cased or decorated', () => {
    for (const p of [
      'correcthorsebatterystaple',
      'correct horse battery staple',
      'Correct-Horse-Battery-Staple',
      'CORRECT_HORSE_BATTERY_STAPLE_2024!',
      '  correct horse  battery staple  ',
      'the quick brown fox jumps over the lazy dog',
      'May The Force Be With You 1977',
    ]) {
      expect(checkPassword(p)?.rule, p).toBe('known_passphrase');
    }
    // zxcvbn alone would let it through: that is why the list exists.
    expect(guessesLog10('correcthorsebatterystaple')).toBeGreaterThanOrEqual(MIN_GUESSES_LOG10);
    expect(checkPassword('correcthorsebatterystaple')?.message.sv).toContain('känd lösenfras');
    expect(checkPassword('correcthorsebatterystaple')?.message.en).toContain('well-known passphrase');
  });

  it('lets decent passphrases through, including every password the fixtures and docs use', () => {
    for (const good of [
      'måsen flyger över taket i kväll',
      'trollhare kanelbulle fönsterbräda',
      'Tre gröna äpplen på ett blått bord',
      TEST_PASSWORD,
      'Lingonris-och-granbarr-2025!',
      'Tallskog-och-myrmark-vid-Ljusnan-2025!',
      'en lång och ovanlig lösenfras',
      'solig morgon vid saltsjön',
      'tre små grodor i en damm',
    ]) {
      expect(checkPassword(good), good).toBeNull();
    }
  });

  it("passes the demo instance's drawn passwords (five groups of four random characters)", () => {
    // the same shape src/cli/demo-users.ts draws: base64url characters in groups of four
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: 20, maxLength: 20 }), (chars) => {
        const password = chars.join('').match(/.{4}/g)!.join('-');
        expect(checkPassword(password)).toBeNull();
      }),
      { numRuns: 50 },
    );
  });

  it('does not rate a password higher for what comes past the scored length', () => {
    // a long run of one keyboard row stays weak however long it gets (and answers at once)
    expect(checkPassword('qwertyuiop'.repeat(25))?.rule).not.toBeUndefined();
    expect(checkPassword('1234567890'.repeat(25))).not.toBeNull();
  });
});
