import type { INestApplicationContext } from '@nestjs/common';
import { type Grant, normalizeLogin } from '@tieuchi/accounts/domain';
import { OnboardingService, type IssuedLink } from '../credentials/onboarding.service';

export interface BootstrapAdmin {
  readonly login: string;
  readonly name: string;
  /** The province the admin administers, or null for a national admin. */
  readonly provinceCode: string | null;
}

/**
 * Creates the first admin of a deployment (or of a new province) through the same commands an
 * invitation uses, as the system; returns the one-time activation link, printed once by the
 * `npm run accounts:bootstrap` command.
 */
export async function bootstrapAdmin(app: INestApplicationContext | { readonly onboarding: OnboardingService }, admin: BootstrapAdmin): Promise<IssuedLink> {
  const grant: Grant = admin.provinceCode === null ? { role: 'admin', national: true } : { role: 'admin', provinceCode: admin.provinceCode };
  const onboarding = 'onboarding' in app ? app.onboarding : app.get(OnboardingService);
  return onboarding.invite(
    { login: normalizeLogin(admin.login), name: admin.name, grants: [grant], reason: 'bootstrap: first administrator' },
    { kind: 'system' },
    { actor: 'system:bootstrap', correlationId: `bootstrap-${Date.now()}` },
  );
}
