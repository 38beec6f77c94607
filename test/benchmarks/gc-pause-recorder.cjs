// Preloaded (node -r) into the API process the API benchmark starts: appends every garbage
// collection pause of the process to the file BENCH_GC_LOG names, one "<epoch ms> <kind> <ms>"
// line each, flushed twice a second, so the report can say how long the API stood still in each
// phase. Kinds are perf_hooks' NODE_PERFORMANCE_GC_* flags (1 scavenge, 4 mark-compact).
const { appendFileSync } = require('node:fs');
const { PerformanceObserver, performance } = require('node:perf_hooks');

const file = process.env.BENCH_GC_LOG;
if (file) {
  let pending = '';
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pending += `${Math.round(performance.timeOrigin + entry.startTime)} ${entry.detail?.kind ?? 0} ${entry.duration.toFixed(2)}\n`;
    }
  }).observe({ entryTypes: ['gc'] });
  const flush = () => {
    if (pending === '') return;
    appendFileSync(file, pending);
    pending = '';
  };
  setInterval(flush, 500).unref();
  process.on('exit', flush);
}
