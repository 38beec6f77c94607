// Int and e2e tests start apps (PGlite, migrations, projections), which takes seconds on a busy
// 2-core machine; Jest's 5 s default failed set-up hooks there without anything being wrong.
// Set here because Jest 30 ignores `testTimeout` in a project's own config.
jest.setTimeout(30_000);
