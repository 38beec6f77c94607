import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { removeTestQueue } from '@tieuchi/recalculation/feature/testing';
import { LocalTokenIssuer, type Principal } from '@tieuchi/shared/auth';
import { type AppConfig, loadConfig } from '@tieuchi/shared/config';
import { createTestDatabase, type TestDatabase } from '@tieuchi/shared/testing';
import { type Clock, EVENT_STORE } from '@tieuchi/shared/application';
import type { EventStore } from '@tieuchi/shared/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AppModule } from '../app/app.module';
import { configureApp } from '../app/configure-app';
import { demoPrincipal } from './demo-accounts';
import { TestAccounts } from './test-accounts';
import { serveWebApp } from '../app/web-app';
import type { NestExpressApplication } from '@nestjs/platform-express';

export interface TestApp {
  readonly app: INestApplication;
  readonly config: AppConfig;
  readonly eventStore: EventStore;
  /** supertest bound to the app's HTTP server. */
  http(): ReturnType<typeof request>;
  /**
   * A Bearer header value for an account of the Đắk Nông demo's people (`admin@daknong`, provisioned
   * through the accounts commands and read back), or for any principal (its account provisioned).
   */
  bearer(user: string | Principal): Promise<string>;
  /** The test's accounts: grant or revoke roles of an account through the accounts commands. */
  readonly accounts: TestAccounts;
  close(): Promise<void>;
}

/**
 * The whole API over real PostgreSQL, in a database of its own (dropped on close), with local
 * tokens whose keys live in a temporary folder. Everything goes through HTTP as in production.
 */
export interface TestAppOptions {
  readonly clock?: Clock;
  /** Serve this web app build (dist/web) as main.ts does, for browser tests. */
  readonly webDirectory?: string;
}

export async function startTestApp(overrides: Partial<AppConfig> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase('e2e');
  const dataDir = mkdtempSync(join(tmpdir(), 'tieuchi-e2e-'));
  const config: AppConfig = { ...loadConfig(), eventStore: 'postgres', databaseUrl: database.connectionString, dataDir, logLevel: 'warn', runWorker: 'true', ...overrides };
  try {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ config, ...(options.clock ? { clock: options.clock } : {}) })] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
    configureApp(app);
    if (options.webDirectory && !serveWebApp(app, options.webDirectory)) throw new Error(`no web app build in ${options.webDirectory}`);
    await app.init();
    // Only the local mode signs tokens here; an app in the OIDC bearer mode takes the provider's.
    const issuer = { issue: (principal: Principal) => app.get(LocalTokenIssuer).issue(principal) };
    const accounts = new TestAccounts(app);
    return {
      app,
      config,
      eventStore: app.get<EventStore>(EVENT_STORE),
      http: () => request(app.getHttpServer()),
      accounts,
      bearer: async (user) => {
        if (typeof user === 'string') return `Bearer ${await issuer.issue(await demoPrincipal(app, user))}`;
        await accounts.ensure(user);
        return `Bearer ${await issuer.issue(user)}`;
      },
      close: async () => {
        await app.close();
        await removeTestQueue(config);
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

export { seedThroughExecutor } from './seed-through-executor';
export { loadDaknongDemo } from '../demo/daknong-demo.loader';
