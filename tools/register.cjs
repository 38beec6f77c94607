// Runs TypeScript sources directly (npm start, demo and benchmark scripts) with SWC, which
// honours decorator metadata (NestJS DI needs it) and the workspace path aliases.
process.env.SWC_NODE_PROJECT = require('node:path').join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
