'use strict';
// Container HEALTHCHECK: exits 0 when GET /health on this container answers 200 within 4 s.
// Plain Node (no curl/wget in the image). Liveness only: readiness (/health/ready) is for load balancers.
const http = require('node:http');

const port = Number(process.env.PORT) || 3000;
const request = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timeout')));
request.on('error', (error) => {
  process.stderr.write(`healthcheck: ${error.message}\n`);
  process.exit(1);
});
