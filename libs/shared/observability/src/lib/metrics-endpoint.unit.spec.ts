import { answerMetrics, metricsEndpoint } from './metrics-endpoint';

describe('metrics endpoint', () => {
  it('answers only the bearer of the configured token', async () => {
    expect((await answerMetrics(undefined, 'token-1')).status).toBe(401);
    expect((await answerMetrics('Bearer token-2', 'token-1')).status).toBe(401);
    expect((await answerMetrics('Basic token-1', 'token-1')).status).toBe(401);
    const answer = await answerMetrics('Bearer token-1', 'token-1');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('does not exist without a token: the request passes on to a 404', () => {
    const next = jest.fn();
    const request = { method: 'GET', path: '/', header: () => 'Bearer anything' };
    metricsEndpoint(undefined)(request as never, {} as never, next);
    expect(next).toHaveBeenCalledWith();
  });
});
