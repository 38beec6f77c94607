// The API benchmark's open loop, shared by the benchmark process (score-criterion at 200/s) and
// open-loop-generator.cjs (the fixed-rate GETs). Plain CommonJS, so the generator process loads
// nothing else. What it records goes into arrays sized up front and finished requests are only
// counted, so the client's own garbage (and GC pauses) stays small beside what it measures.

/** The first failure of a run, as the report prints it: an answer's status and the start of its body, or the error. */
function describeFailure(failure) {
  if (typeof failure === 'object' && failure !== null && 'status' in failure && 'body' in failure) return `${failure.status} ${String(failure.body).slice(0, 300)}`;
  return failure instanceof Error ? failure.message : String(failure);
}

/**
 * Sends at a fixed rate whatever the answers do (open loop); latency counts from the scheduled send
 * time, so a queue behind a slow answer is not hidden. `send` resolves with { status, body }.
 */
async function openLoop(rate, seconds, send) {
  const total = Math.round(rate * seconds);
  const due = new Float64Array(total);
  const latencies = new Float64Array(total);
  let answered = 0;
  let settled = 0;
  let errors = 0;
  let firstError;
  let allSettled = () => undefined;
  const finished = new Promise((resolve) => (allSettled = resolve));
  const settle = () => {
    settled += 1;
    if (settled === total) allSettled();
  };
  const start = performance.now();
  let issued = 0;
  while (issued < total) {
    const dueNow = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; issued < dueNow; issued += 1) {
      const scheduled = start + (issued * 1000) / rate;
      send().then(
        (answer) => {
          due[answered] = scheduled - start;
          latencies[answered] = performance.now() - scheduled;
          answered += 1;
          if (answer.status < 200 || answer.status >= 300) {
            errors += 1;
            firstError ??= describeFailure(answer);
          }
          settle();
        },
        (error) => {
          errors += 1;
          firstError ??= describeFailure(error);
          settle();
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sentIn = (performance.now() - start) / 1000;
  if (total > 0) await finished;
  const elapsed = (performance.now() - start) / 1000;
  return {
    due: Array.from(due.subarray(0, answered)),
    latencies: Array.from(latencies.subarray(0, answered)),
    count: total,
    errors,
    firstError,
    perSecond: total / elapsed,
    achievedRate: total / sentIn,
  };
}

module.exports = { describeFailure, openLoop };
