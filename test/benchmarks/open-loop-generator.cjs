// The API benchmark's fixed-rate GET load, in a process of its own (child_process.fork). The
// benchmark process holds the compiler hook, the domain libraries and the demo history, and
// collecting that heap paused it for up to 24 ms while it timed 1,000 requests a second; a pause
// of the client delays every answer it is waiting for. This process holds only node:http and what
// it records (open-loop.cjs), so its own pauses stay short. It records them with
// gc-pause-recorder.cjs when BENCH_GC_LOG names a file.
//
// Messages in: { id, port, path, rate, seconds } (one run at a time). Messages out: { id, result }
// with result = { due, latencies, count, errors, firstError, perSecond, achievedRate }.
const { Agent, request } = require('node:http');
const { openLoop } = require('./open-loop.cjs');

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
      res.on('end', () => resolve({ status, body: keep ? Buffer.concat(chunks).toString('utf8') : '' }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

process.on('message', (message) => {
  openLoop(message.rate, message.seconds, () => get(message.port, message.path)).then(
    (result) => process.send({ id: message.id, result }),
    (error) => process.send({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => {
  agent.destroy();
  process.exit(0);
});
