import { type DynamicModule, Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { ACCOUNT_AUTHENTICATOR } from '@tieuchi/shared/auth';
import type { ProjectionHostOptions } from '@tieuchi/shared/application';
import { raw } from 'body-parser';
import { AccountCommands } from './account-commands.service';
import { AccountAuthenticatorService } from './credentials/account-authenticator.service';
import { AccountSecretsStore } from './credentials/account-secrets.store';
import { ActivationMailer } from './credentials/activation-mailer';
import { OidcSignInService } from './credentials/oidc-sign-in.service';
import { OnboardingService } from './credentials/onboarding.service';
import { SignInLimiter } from './credentials/sign-in-limiter';
import { SignInService } from './credentials/sign-in.service';
import { AccountsController, ApiTokensController, STAFF_FILE_TYPES } from './http/accounts.controller';
import { AuthController } from './http/auth.controller';
import { MeService } from './http/me.service';
import { NextWorkQuery } from './http/next-work.query';
import { ACCOUNTS_FEATURE_OPTIONS, AccountsProjection } from './projections/accounts/accounts.projection';
import { LastAdminGuard } from './last-admin.guard';
import { AccountsQuery } from './projections/accounts/accounts.query';
import { UnitProvinces } from './unit-provinces';

const providers = [
  AccountCommands,
  AccountSecretsStore,
  AccountAuthenticatorService,
  { provide: ACCOUNT_AUTHENTICATOR, useExisting: AccountAuthenticatorService },
  SignInLimiter,
  SignInService,
  OidcSignInService,
  ActivationMailer,
  OnboardingService,
  UnitProvinces,
  MeService,
  NextWorkQuery,
  AccountsQuery,
  AccountsProjection,
  LastAdminGuard,
];

/**
 * Accounts and sign-in: invitations, activation, local sign-in with browser sessions, personal API
 * tokens, and the authenticator the global AuthGuard asks about sessions and tokens (hence global).
 */
@Global()
@Module({})
export class AccountsFeatureModule implements NestModule {
  static forRoot(host: ProjectionHostOptions): DynamicModule {
    return {
      module: AccountsFeatureModule,
      controllers: [AuthController, ApiTokensController, AccountsController],
      providers: [...providers, { provide: ACCOUNTS_FEATURE_OPTIONS, useValue: host }],
      exports: [ACCOUNT_AUTHENTICATOR, AccountCommands, OnboardingService, SignInService, AccountsProjection, AccountSecretsStore],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(raw({ type: [...STAFF_FILE_TYPES], limit: '2mb' })).forRoutes({ path: 'accounts/import', method: RequestMethod.POST });
  }
}

/** The accounts list projection alone, for the worker (the API hosts it within AccountsFeatureModule). */
@Module({})
export class AccountsProjectionModule {
  static forRoot(host: ProjectionHostOptions): DynamicModule {
    return { module: AccountsProjectionModule, providers: [AccountsProjection, { provide: ACCOUNTS_FEATURE_OPTIONS, useValue: host }] };
  }
}
