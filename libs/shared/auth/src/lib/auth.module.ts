import { type DynamicModule, Injectable, Logger, Module, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import { APP_GUARD, ModulesContainer } from '@nestjs/core';
import type { AppConfig } from '@tieuchi/shared/config';
import { AuthGuard } from './auth.guard';
import { LocalKeySet } from './local-key-set';
import { LocalTokenIssuer } from './local-token-issuer';
import { LocalTokenVerifier } from './local-token-verifier';
import { OidcTokenVerifier } from './oidc-token-verifier';
import { RememberingTokenVerifier } from './remembering-token-verifier';
import { routesWithoutPolicy } from './routes-without-policy';
import { TOKEN_VERIFIER } from './token-verifier';

export type AuthSettings =
  | { readonly mode: 'local'; readonly dataDir: string; readonly issuer: string; readonly audience: string }
  | { readonly mode: 'oidc'; readonly jwksUrl: string; readonly issuer: string; readonly audience: string };

/** Either the app's config (the usual case) or explicit settings (tests, tools). */
export type AuthModuleOptions = { readonly config: AppConfig } | AuthSettings;

export function authSettingsFromConfig(config: AppConfig): AuthSettings {
  if (config.authMode === 'oidc') {
    const { oidcJwksUrl, oidcIssuer, oidcAudience } = config;
    // loadConfig already refuses oidc without these; this only narrows the types.
    if (!oidcJwksUrl || !oidcIssuer || !oidcAudience) throw new Error('AUTH_MODE=oidc needs OIDC_JWKS_URL, OIDC_ISSUER and OIDC_AUDIENCE');
    return { mode: 'oidc', jwksUrl: oidcJwksUrl, issuer: oidcIssuer, audience: oidcAudience };
  }
  return { mode: 'local', dataDir: config.dataDir, issuer: config.localIssuer, audience: config.localAudience };
}

/** Names at start-up every route the guard will refuse for want of @Public() or @Roles(...). */
@Injectable()
export class RoutePolicyAudit implements OnApplicationBootstrap {
  private readonly logger = new Logger('AuthGuard');

  constructor(private readonly modules: ModulesContainer) {}

  onApplicationBootstrap(): void {
    for (const route of routesWithoutPolicy(this.modules)) {
      this.logger.error(`${route.route} (${route.controller}.${route.handler}) declares neither @Public() nor @Roles(...); every call will be refused`);
    }
  }
}

/**
 * Authentication for the whole app: the token verifier chosen by the options, and the AuthGuard
 * on every route. In local mode it also provides the LocalKeySet and a LocalTokenIssuer.
 */
@Module({})
export class AuthModule {
  static forRoot(moduleOptions: AuthModuleOptions): DynamicModule {
    const options = 'config' in moduleOptions ? authSettingsFromConfig(moduleOptions.config) : moduleOptions;
    const modeProviders: Provider[] =
      options.mode === 'local'
        ? [
            { provide: LocalKeySet, useFactory: () => LocalKeySet.loadOrCreate(options.dataDir) },
            {
              provide: TOKEN_VERIFIER,
              useFactory: (keySet: LocalKeySet) => new RememberingTokenVerifier(new LocalTokenVerifier(keySet, options)),
              inject: [LocalKeySet],
            },
            { provide: LocalTokenIssuer, useFactory: (keySet: LocalKeySet) => new LocalTokenIssuer(keySet, options), inject: [LocalKeySet] },
          ]
        : [{ provide: TOKEN_VERIFIER, useFactory: () => new RememberingTokenVerifier(new OidcTokenVerifier(options)) }];
    return {
      module: AuthModule,
      global: true,
      providers: [...modeProviders, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }, RoutePolicyAudit],
      exports: [TOKEN_VERIFIER, ...(options.mode === 'local' ? [LocalKeySet, LocalTokenIssuer] : [])],
    };
  }
}
