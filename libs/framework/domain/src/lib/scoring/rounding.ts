import { assertNever } from '@tieuchi/shared/kernel';
import type { RoundingRule, RoundingStage } from '../framework-definition';

/** 2 decimals, half-up: the rule wherever a framework says nothing else. */
export const DEFAULT_ROUNDING: RoundingRule = { decimals: 2, mode: 'half_up' };

/** The stage a rule rounds at; frameworks drafted before the option existed round each criterion. */
export function roundingStageOf(rule: RoundingRule): RoundingStage {
  return rule.stage ?? 'criterion';
}

/** Doubles carry about 15.9 significant digits; 15 is the most that always round-trips. */
const SIGNIFICANT_DIGITS = 15;
const MAX_DECIMALS = 10;

/**
 * Rounds a score as a person would on paper. Binary doubles cannot hold 1.005 or 40.225 exactly
 * (1.005 * 100 is 100.49999999999999), so the naive Math.round(x * 100) / 100 rounds them down.
 * Cutting the scaled value back to 15 significant digits removes that noise before the decision.
 * `half_up` rounds halves away from zero (−2.365 → −2.37), the convention of printed tables.
 */
export function roundScore(value: number, rule: RoundingRule = DEFAULT_ROUNDING): number {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot round ${value}`);
  const factor = 10 ** rule.decimals;
  const exact = Math.abs(value) * factor;
  // Most scores already sit on the grid (whole and half points): nothing to round, and no string
  // round trip, which a national recalculation would otherwise pay some millions of times.
  // The result is exactly what the general path below gives for an integer `scaled`.
  if (Number.isInteger(exact) && exact < 1e15) return value < 0 && exact !== 0 ? -exact / factor : exact / factor;
  const scaled = Number(exact.toPrecision(SIGNIFICANT_DIGITS));
  const whole = Math.floor(scaled);
  // Exact: subtracting the integer part of a double loses nothing.
  const fraction = scaled - whole;
  let rounded: number;
  switch (rule.mode) {
    case 'half_up':
      rounded = fraction >= 0.5 ? whole + 1 : whole;
      break;
    case 'half_even':
      rounded = fraction > 0.5 || (fraction === 0.5 && whole % 2 === 1) ? whole + 1 : whole;
      break;
    case 'down':
      rounded = whole;
      break;
    default:
      return assertNever(rule.mode, 'rounding mode');
  }
  const result = rounded / factor;
  // Avoid -0, which prints as "0" but fails Object.is comparisons in tests and stores.
  return value < 0 && result !== 0 ? -result : result;
}

/** Number of decimals in the shortest decimal form of a double (40.23 → 2, 37.865 → 3). */
export function decimalPlaces(value: number): number {
  if (!Number.isFinite(value)) return 0;
  const [mantissa = '', exponent] = String(value).toLowerCase().split('e');
  const fractionDigits = (mantissa.split('.')[1] ?? '').length;
  const places = fractionDigits - Number(exponent ?? 0);
  return Math.min(Math.max(places, 0), MAX_DECIMALS);
}

/**
 * a − b without binary noise, kept at the precision of its inputs (and at least the rule's):
 * 40.23 − 37.865 is 2.365, as published, not 2.3650000000000020 nor 2.37.
 */
export function exactDifference(a: number, b: number, rule: RoundingRule = DEFAULT_ROUNDING): number {
  const decimals = Math.max(rule.decimals, decimalPlaces(a), decimalPlaces(b));
  return roundScore(a - b, { decimals, mode: rule.mode });
}
