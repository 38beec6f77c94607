import { Injectable } from '@nestjs/common';
import type { Grant } from '@tieuchi/accounts/domain';
import type { Principal } from '@tieuchi/shared/auth';
import { AccountAuthenticatorService } from '../credentials/account-authenticator.service';
import { provinceScopeOf } from './actor-scope';
import { type NextWork, NextWorkQuery } from './next-work.query';

export interface MeView {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly status: 'invited' | 'active' | 'disabled';
  readonly roles: readonly string[];
  readonly unitCode: string | null;
  readonly provinceCode: string | null;
  readonly national: boolean;
  readonly grants: readonly Grant[];
  /** The session's CSRF token (so a reloaded page recovers it); null for bearer-token callers. */
  readonly csrfToken: string | null;
  /** What I may do next: assessments and periods awaiting my action, by role. */
  readonly next: NextWork;
}

@Injectable()
export class MeService {
  constructor(
    private readonly accounts: AccountAuthenticatorService,
    private readonly nextWork: NextWorkQuery,
  ) {}

  async describe(principal: Principal, csrfToken: string | null): Promise<MeView> {
    const [account, next] = await Promise.all([this.accounts.account(principal.id), this.nextWork.of(principal)]);
    const scope = provinceScopeOf(principal);
    return {
      id: principal.id,
      login: principal.id,
      name: account?.name ?? principal.name ?? principal.id,
      status: account?.status ?? 'active',
      roles: principal.roles,
      unitCode: principal.unitCode,
      provinceCode: scope.provinceCode,
      national: scope.national,
      grants: account?.grants ?? [],
      csrfToken,
      next,
    };
  }
}
