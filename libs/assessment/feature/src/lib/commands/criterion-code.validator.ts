import { Matches, type ValidationOptions } from 'class-validator';

// The same alphabet as the :criterionCode path parameter: codes end up in events and SQL parameters.
const criterionCodePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A criterion code such as X.SS.HT.1 (a plain, bounded alphabet). */
export function IsCriterionCode(options?: ValidationOptions): PropertyDecorator {
  return Matches(criterionCodePattern, { message: '$property must hold criterion codes such as X.SS.HT.1', ...options });
}
