// Dependency audit for CI: `npm audit --omit=dev` fails the build on any high or critical advisory
// that audit-exceptions.json does not list with a reason and an expiry date. When the registry
// cannot answer audits (some mirrors refuse the bulk advisory endpoint), this says so plainly and
// passes, unless AUDIT_REQUIRED=1 makes that a failure too.
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const exceptions = JSON.parse(readFileSync(join(root, 'audit-exceptions.json'), 'utf8')).exceptions;
const today = new Date().toISOString().slice(0, 10);

let raw;
try {
  raw = execFileSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
} catch (error) {
  raw = error.stdout; // npm audit exits non-zero when it finds anything
}
const report = JSON.parse(raw || '{}');
if (!report.vulnerabilities) {
  const why = report.message || report.error?.summary || 'no report';
  console.log(`npm audit could not run: ${why}`);
  if (process.env.AUDIT_REQUIRED === '1') process.exit(1);
  console.log('dependency audit NOT performed (set AUDIT_REQUIRED=1 to make this fail)');
  process.exit(0);
}

const failing = [];
for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
  if (!['high', 'critical'].includes(vulnerability.severity)) continue;
  const advisories = vulnerability.via.filter((via) => typeof via === 'object');
  const ids = advisories.map((advisory) => advisory.url?.split('/').pop() ?? String(advisory.source));
  const excused = ids.length > 0 && ids.every((id) => {
    const exception = exceptions.find((entry) => entry.id === id);
    return exception && exception.until >= today;
  });
  if (!excused) failing.push(`${name} (${vulnerability.severity}): ${ids.join(', ') || 'through ' + vulnerability.via.join(', ')}`);
}
const counts = report.metadata?.vulnerabilities ?? {};
console.log(`npm audit --omit=dev: ${JSON.stringify(counts)}; ${exceptions.length} listed exception(s)`);
if (failing.length > 0) {
  console.log(`high or critical advisories without a current exception in audit-exceptions.json:\n  ${failing.join('\n  ')}`);
  process.exit(1);
}
