// The API benchmark's fixed-rate GET load, in a process of its own (child_process.fork). The
// benchmark process holds the compiler hook, the domain libraries and the demo history, and
// collecting that heap paused it for up to 24 ms while it timed 1,000 requests a second; a pause
// of the client delays every answer it is waiting for. This process holds only node:http and what
// it records, in arrays sized up front, so its own pauses stay short. It records them with
// gc-pause-recorder.cjs when BENCH_GC_LOG names a file.
//
// Messages in: { id, port, path, rate, seconds } (one run at a time). Messages out: { id, result }
// with result = { due, latencies, count, errors, firstError, perSecond, achievedRate }.
const { Agent, request } = require('node:http');

require('./gc-pause-recorder.cjs');

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** A GET whose 2xx body is read off the socket and dropped; other answers keep theirs for the report. */
function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path, agent }, (res) => {
      const status = res.statusCode ?? 0;
      const keep = status < 200 || status >= 300;
      const chunks = [];
      res.on('data', (chunk) => {
        if (keep) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status, body: keep ? Buffer.concat(chunks).toString('utf8').slice(0, 300) : '' }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends at a fixed rate whatever the answers do (open loop); latency counts from the scheduled send time. */
async function openLoop({ port, path, rate, seconds }) {
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
      get(port, path).then(
        (answer) => {
          due[answered] = scheduled - start;
          latencies[answered] = performance.now() - scheduled;
          answered += 1;
          if (answer.status < 200 || answer.status >= 300) {
            errors += 1;
            firstError ??= `${answer.status} ${answer.body}`;
          }
          settle();
        },
        (error) => {
          errors += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
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

process.on('message', (message) => {
  openLoop(message).then(
    (result) => process.send({ id: message.id, result }),
    (error) => process.send({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => {
  agent.destroy();
  process.exit(0);
});
