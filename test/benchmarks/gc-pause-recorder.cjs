// Records every garbage collection pause of a process in a file, one "<epoch ms> <kind> <ms>"
// line each, flushed twice a second, so the API benchmark's report can say how long a process
// stood still in each phase. Kinds are perf_hooks' NODE_PERFORMANCE_GC_* flags (1 scavenge,
// 4 mark-compact). Preloaded (node -r) into the API process with BENCH_GC_LOG naming the file;
// the benchmark client records its own pauses with recordGcPauses().
const { appendFileSync } = require('node:fs');
const { PerformanceObserver, performance } = require('node:perf_hooks');

/** Starts recording; returns the function that stops it, writing what is still pending. */
function recordGcPauses(file) {
  let pending = '';
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pending += `${Math.round(performance.timeOrigin + entry.startTime)} ${entry.detail?.kind ?? 0} ${entry.duration.toFixed(2)}\n`;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const flush = () => {
    if (pending === '') return;
    appendFileSync(file, pending);
    pending = '';
  };
  const timer = setInterval(flush, 500).unref();
  process.on('exit', flush);
  return () => {
    observer.disconnect();
    clearInterval(timer);
    process.off('exit', flush);
    flush();
  };
}

// Only the API's environment names BENCH_GC_LOG; the client requires this file without it.
if (process.env.BENCH_GC_LOG) recordGcPauses(process.env.BENCH_GC_LOG);

module.exports = { recordGcPauses };
