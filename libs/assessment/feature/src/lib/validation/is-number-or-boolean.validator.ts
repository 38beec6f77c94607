import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Criterion answers are booleans for yes/no rules and finite numbers for the others. */
export function IsNumberOrBoolean(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isNumberOrBoolean',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be a finite number or a boolean', ...options },
      validator: { validate: (value: unknown) => typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) },
    });
  };
}
