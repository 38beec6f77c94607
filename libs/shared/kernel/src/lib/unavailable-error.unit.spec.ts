import { isUnavailableError } from './unavailable-error';

describe('isUnavailableError', () => {
  it('recognises node-postgres losing or not reaching the server', () => {
    expect(isUnavailableError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isUnavailableError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailableError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isUnavailableError(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))).toBe(true);
    expect(isUnavailableError(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(isUnavailableError(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(true);
    expect(isUnavailableError(new Error('wrapped', { cause: new Error('Connection terminated due to connection timeout') }))).toBe(true);
  });

  it('leaves every other error a 500', () => {
    expect(isUnavailableError(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isUnavailableError(new TypeError('x is undefined'))).toBe(false);
    expect(isUnavailableError('ECONNREFUSED')).toBe(false);
    expect(isUnavailableError(null)).toBe(false);
  });
});
