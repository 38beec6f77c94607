// A real OpenID Connect provider (oidc-provider, a certified implementation) for the single
// sign-on tests, run as its own process. Its people come from OIDC_TEST_PEOPLE (JSON: subject →
// claims); POST /test/next-subject names who signs in at the next interaction, in place of a login
// form, and consent is given for the requested scopes; POST /test/person changes someone's claims.
// The token-grants e2e also takes ID tokens from it as bearer tokens (AUTH_MODE=oidc).
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const people = JSON.parse(process.env.OIDC_TEST_PEOPLE ?? '{}');
const issuer = `http://127.0.0.1:${port}`;
let nextSubject = null;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID ?? 'tieuchi',
      token_endpoint_auth_method: 'none',
      redirect_uris: [process.env.OIDC_TEST_REDIRECT_URI],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  pkce: { required: () => true },
  // `tieuchi`: the roles a province's provider might put in its tokens (they grant nothing in tieuchi).
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], tieuchi: ['roles', 'province', 'national'] },
  // OIDC_TEST_ID_TOKEN_CLAIMS=true: the ID token carries the scopes' claims, as a bearer token to the API.
  conformIdTokenClaims: process.env.OIDC_TEST_ID_TOKEN_CLAIMS !== 'true',
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (_ctx, sub) => (people[sub] ? { accountId: sub, claims: async () => ({ sub, ...people[sub] }) } : undefined),
  cookies: { keys: ['tieuchi-test-only'] },
});

provider.use(async (ctx, next) => {
  if (ctx.method === 'POST' && ctx.path === '/test/next-subject') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    nextSubject = JSON.parse(Buffer.concat(chunks).toString('utf8')).subject;
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'POST' && ctx.path === '/test/person') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const { subject, claims } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    people[subject] = claims;
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'GET' && ctx.path.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const accountId = nextSubject;
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    ctx.respond = false;
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
