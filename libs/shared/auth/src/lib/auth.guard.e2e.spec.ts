import 'reflect-metadata';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, type INestApplication, Logger, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createValidationPipe, jsonBody, ProblemDetailsFilter } from '@tieuchi/shared/http';
import request from 'supertest';
import { assertOwnUnit } from './assert-own-unit';
import { AuthModule } from './auth.module';
import { CurrentPrincipal } from './current-principal.decorator';
import type { Principal } from './principal';
import { LocalKeySet } from './local-key-set';
import { LocalTokenIssuer } from './local-token-issuer';
import { Public } from './public.decorator';
import { Roles } from './roles.decorator';
import { findRoutesWithoutPolicy } from './routes-without-policy';

const settings = { issuer: 'tieuchi-local', audience: 'tieuchi' };

@Controller('probe')
class ProbeController {
  @Public()
  @Get('rankings')
  rankings(@CurrentPrincipal({ optional: true }) principal: Principal | undefined): { caller: string | null } {
    return { caller: principal?.id ?? null };
  }

  @Roles('reviewer', 'approver')
  @Get('queue')
  queue(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Roles('unit_editor', 'unit_lead')
  @Get('units/:unitCode/draft')
  draft(@Param('unitCode') unitCode: string, @CurrentPrincipal() principal: Principal): { unitCode: string | null } {
    assertOwnUnit(principal, unitCode);
    return { unitCode: principal.unitCode };
  }

  @Get('forgotten')
  forgotten(): string {
    return 'nobody should ever read this';
  }
}

@Roles('admin')
@Controller('admin')
class AdminController {
  @Get('frameworks')
  frameworks(): string[] {
    return ['2392-2017'];
  }

  @Public()
  @Get('about')
  about(): string {
    return 'tieuchi';
  }
}

// The guard alone, without the accounts context: the tokens' claims are all it knows of a caller.
const province = (id: string, role: Principal['roles'][number]): Principal => ({ id, roles: [role], unitCode: null, provinceCode: '67', national: false });
const unitStaff = (id: string, role: Principal['roles'][number], unitCode: string): Principal => ({ id, roles: [role], unitCode, provinceCode: '67', national: false });
const callers: ReadonlyMap<string, Principal> = new Map(
  [
    province('admin@daknong', 'admin'),
    province('auditor@daknong', 'auditor'),
    province('reviewer.1@daknong', 'reviewer'),
    { ...province('approver.2@daknong', 'approver'), name: 'Lãnh đạo phê duyệt 2' },
    unitStaff('editor.660@daknong', 'unit_editor', '660'),
    unitStaff('editor.24728@daknong', 'unit_editor', '24728'),
    unitStaff('lead.662@daknong', 'unit_lead', '662'),
  ].map((principal) => [principal.id, principal]),
);

function caller(id: string): Principal {
  const principal = callers.get(id);
  if (!principal) throw new Error(`no caller ${id} in this test`);
  return principal;
}

describe('authentication and authorization over HTTP', () => {
  let app: INestApplication;
  let dataDir: string;
  let issuer: LocalTokenIssuer;
  let logged: jest.SpyInstance;
  let startupErrors: unknown[][];

  const as = async (userId: string): Promise<string> => `Bearer ${await issuer.issue(caller(userId))}`;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tieuchi-auth-e2e-'));
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot({ mode: 'local', dataDir, ...settings })],
      controllers: [ProbeController, AdminController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
    app.use(...jsonBody('64kb'));
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
    startupErrors = [...logged.mock.calls];
    issuer = app.get(LocalTokenIssuer);
  });

  afterAll(async () => {
    await app.close();
    logged.mockRestore();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the generated signing keys under the data folder, owner-readable only', async () => {
    const file = join(dataDir, 'keys', 'local-jwks.json');
    expect(app.get(LocalKeySet).path).toBe(file);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('answers a call without a token with 401 problem+json and a Bearer challenge', async () => {
    const res = await request(app.getHttpServer()).get('/probe/queue');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tieuchi"');
    expect(res.body).toMatchObject({ status: 401, code: 'AUTH.MISSING_TOKEN', instance: '/probe/queue' });
  });

  it('refuses expired, foreign-key and wrong-audience tokens with 401 invalid_token', async () => {
    const reviewer = caller('reviewer.1@daknong');
    const expired = await issuer.issue(reviewer, { now: new Date(Date.now() - 9 * 60 * 60 * 1000) });
    const foreign = await new LocalTokenIssuer(await LocalKeySet.generate(), settings).issue(reviewer);
    const otherAudience = await new LocalTokenIssuer(app.get(LocalKeySet), { ...settings, audience: 'another-app' }).issue(reviewer);
    for (const [token, reason] of [
      [expired, /expired/],
      [foreign, /signature/],
      [otherAudience, /another audience/],
      ['not.a.token', /malformed/],
    ] as const) {
      const res = await request(app.getHttpServer()).get('/probe/queue').set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="tieuchi", error="invalid_token"');
      expect(res.body).toMatchObject({ code: 'AUTH.INVALID_TOKEN', detail: expect.stringMatching(reason) });
      expect(JSON.stringify(res.body)).not.toMatch(/ERR_|jose|stack/i);
    }
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await request(app.getHttpServer()).get('/probe/queue').set('authorization', 'Basic YWRtaW46YWRtaW4=');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.INVALID_TOKEN');
  });

  it('lets anonymous callers through public routes, and still verifies a token when one is sent', async () => {
    const anonymous = await request(app.getHttpServer()).get('/probe/rankings');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ caller: null });
    const signedIn = await request(app.getHttpServer()).get('/probe/rankings').set('authorization', await as('auditor@daknong'));
    expect(signedIn.body).toEqual({ caller: 'auditor@daknong' });
    const forged = await request(app.getHttpServer()).get('/probe/rankings').set('authorization', 'Bearer forged.token.here');
    expect(forged.status).toBe(401);
  });

  it('refuses a principal without a required role with 403 naming the roles', async () => {
    const res = await request(app.getHttpServer()).get('/probe/queue').set('authorization', await as('editor.660@daknong'));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toMatchObject({ code: 'AUTH.FORBIDDEN_ROLE', detail: 'This action needs one of the roles: reviewer, approver.' });
  });

  it('admits a principal holding one of the roles and hands it to the handler', async () => {
    const res = await request(app.getHttpServer()).get('/probe/queue').set('authorization', await as('approver.2@daknong'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'approver.2@daknong', roles: ['approver'], unitCode: null, provinceCode: '67', national: false, name: 'Lãnh đạo phê duyệt 2' });
  });

  it("binds unit users to the unit named in their token's claim", async () => {
    const own = await request(app.getHttpServer()).get('/probe/units/24728/draft').set('authorization', await as('editor.24728@daknong'));
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ unitCode: '24728' });
    const other = await request(app.getHttpServer()).get('/probe/units/660/draft').set('authorization', await as('lead.662@daknong'));
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('AUTH.OTHER_UNIT');
  });

  it('applies a controller-wide role, with a handler-level @Public() taking precedence', async () => {
    expect((await request(app.getHttpServer()).get('/admin/frameworks').set('authorization', await as('admin@daknong'))).status).toBe(200);
    expect((await request(app.getHttpServer()).get('/admin/frameworks').set('authorization', await as('reviewer.1@daknong'))).status).toBe(403);
    expect((await request(app.getHttpServer()).get('/admin/about')).status).toBe(200);
  });

  it('fails closed on a route that declares no policy, for every caller, and logs why', async () => {
    logged.mockClear();
    for (const authorization of [undefined, await as('admin@daknong')]) {
      const call = request(app.getHttpServer()).get('/probe/forgotten');
      const res = authorization ? await call.set('authorization', authorization) : await call;
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'AUTH.NO_POLICY' });
      expect(res.text).not.toMatch(/nobody should ever read this/);
    }
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(/ProbeController\.forgotten declares neither/));
  });

  it('names every route without a policy at start-up', () => {
    expect(startupErrors).toEqual([[expect.stringMatching(/^GET \/probe\/forgotten \(ProbeController\.forgotten\) declares neither/)]]);
  });

  it('lists the routes that lack a policy, for an app-level test to assert empty', () => {
    expect(findRoutesWithoutPolicy(app)).toEqual([{ controller: 'ProbeController', handler: 'forgotten', route: 'GET /probe/forgotten' }]);
  });
});
