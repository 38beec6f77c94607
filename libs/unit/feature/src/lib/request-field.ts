import { DomainError, isDomainError } from '@tieuchi/shared/kernel';

/**
 * Unit deciders name fields from the command's root (`data.name`); the request body is the
 * command's data, so the caller is told `name`. Other errors pass through unchanged.
 */
export async function withRequestFields<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDomainError(error) && error.field?.startsWith('data.')) {
      throw new DomainError(error.code, error.category, error.message, error.field.slice('data.'.length), error.details);
    }
    throw error;
  }
}
