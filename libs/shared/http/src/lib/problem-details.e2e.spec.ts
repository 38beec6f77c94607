import 'reflect-metadata';
import { Body, Controller, Get, type INestApplication, type LoggerService, NotFoundException, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DomainError } from '@tieuchi/shared/kernel';
import {
  ConcurrencyError,
  EventStoreAccessDeniedError,
  EventStoreUnavailableError,
  EventTooLargeError,
  StreamDeletedError,
} from '@tieuchi/shared/event-store';
import { IsInt, IsString, Max, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import request from 'supertest';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation';
import { jsonBody } from './json-body';

class EvidenceDto {
  @IsString() reference!: string;
}

class ScoreDto {
  @IsInt() @Min(0) @Max(10) points!: number;
  @ValidateNested() @Type(() => EvidenceDto) evidence!: EvidenceDto;
}

@Controller('probe')
class ProbeController {
  @Post('score')
  score(@Body() body: ScoreDto): ScoreDto {
    return body;
  }

  @Get('conflict')
  conflict(): never {
    throw new DomainError('ASSESSMENT.ALREADY_SUBMITTED', 'conflict', 'The assessment was already submitted.');
  }

  @Get('forbidden')
  forbidden(): never {
    throw new DomainError('ASSESSMENT.FOUR_EYES', 'forbidden', 'Nobody approves their own work.');
  }

  @Get('store/:category')
  store(@Param('category') category: 'gone' | 'too_large' | 'unavailable'): never {
    throw new DomainError(`EVENT_STORE.${category.toUpperCase()}`, category, 'The event store refused.');
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('no such thing');
  }

  @Get('crash')
  crash(): never {
    throw new Error('secret internal detail at /srv/app.ts:42');
  }
}

// The errors the event store adapters raise (the KurrentDB client's failures mapped to them).
const eventStoreFailures = {
  deleted: () => new StreamDeletedError('assessment-daknong-2019-24728'),
  'too-large': () => new EventTooLargeError('assessment-daknong-2019-24728', 'Maximum Append Size of 1048576 Exceeded'),
  unavailable: () => new EventStoreUnavailableError('an append to assessment-daknong-2019-24728'),
  'access-denied': () => new EventStoreAccessDeniedError('an append to assessment-daknong-2019-24728'),
  conflict: () => new ConcurrencyError('assessment-daknong-2019-24728', 3, 4),
} as const;

@Controller('event-store')
class EventStoreFailureController {
  @Get(':failure')
  fail(@Param('failure') failure: keyof typeof eventStoreFailures): never {
    throw eventStoreFailures[failure]();
  }
}

class RecordingLogger implements LoggerService {
  readonly errors: unknown[][] = [];
  readonly warnings: unknown[][] = [];
  log(): void {
    // Start-up chatter is not what these tests look at.
  }
  error(...args: unknown[]): void {
    this.errors.push(args);
  }
  warn(...args: unknown[]): void {
    this.warnings.push(args);
  }
}

describe('problem+json answers for event store failures', () => {
  let app: INestApplication;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [EventStoreFailureController] }).compile();
    app = moduleRef.createNestApplication({ logger, bodyParser: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
  });

  afterAll(() => app.close());

  beforeEach(() => {
    logger.errors.length = 0;
    logger.warnings.length = 0;
  });

  it.each([
    ['deleted', 410, 'EVENT_STORE.STREAM_DELETED'],
    ['too-large', 413, 'EVENT_STORE.TOO_LARGE'],
    ['conflict', 409, 'EVENT_STORE.CONCURRENCY'],
  ] as const)('answers a %s failure with %p and its stable code, logging nothing', async (failure, status, code) => {
    const res = await request(app.getHttpServer()).get(`/event-store/${failure}`);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status, code });
    expect(res.headers['retry-after']).toBeUndefined();
    expect([...logger.errors, ...logger.warnings]).toEqual([]);
  });

  it('answers an unreachable or slow store with 503 and Retry-After, logged as a warning, not an error', async () => {
    const res = await request(app.getHttpServer()).get('/event-store/unavailable');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ code: 'EVENT_STORE.UNAVAILABLE' });
    expect(logger.errors).toEqual([]);
    expect(logger.warnings).toHaveLength(1);
  });

  it('answers credentials the store refused with 500, without the store\'s details, and logs it as an error', async () => {
    const res = await request(app.getHttpServer()).get('/event-store/access-denied');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'EVENT_STORE.ACCESS_DENIED', detail: 'The server could not complete the request.' });
    expect(logger.errors).toHaveLength(1);
    expect(JSON.stringify(logger.errors[0])).toContain('EVENT_STORE.ACCESS_DENIED');
  });
});

describe('problem+json errors', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [ProbeController] }).compile();
    app = moduleRef.createNestApplication({ logger: false, bodyParser: false });
    app.use(...jsonBody('64kb'));
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new ProblemDetailsFilter());
    await app.init();
  });

  afterAll(() => app.close());

  it.each([
    ['gone', 410, 'Gone'],
    ['too_large', 413, 'Payload Too Large'],
    ['unavailable', 503, 'Service Unavailable'],
  ] as const)('answers an event-store refusal of category %s with %p', async (category, status, title) => {
    const res = await request(app.getHttpServer()).get(`/probe/store/${category}`);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status, title, code: `EVENT_STORE.${category.toUpperCase()}` });
    expect(res.headers['retry-after']).toBe(status === 503 ? '2' : undefined);
  });

  it('accepts a valid body', async () => {
    const res = await request(app.getHttpServer()).post('/probe/score').send({ points: 3, evidence: { reference: 'QĐ 12' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ points: 3, evidence: { reference: 'QĐ 12' } });
  });

  it('names the field of a wrongly typed value, nested fields by their path', async () => {
    const res = await request(app.getHttpServer()).post('/probe/score').send({ points: 3, evidence: { reference: 7 } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'REQUEST.INVALID', field: 'evidence.reference', instance: '/probe/score' });
  });

  it('refuses unknown fields instead of dropping them', async () => {
    const res = await request(app.getHttpServer()).post('/probe/score').send({ points: 3, evidence: { reference: 'x' }, admin: true });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('admin');
  });

  it('answers malformed JSON with 400 naming the body', async () => {
    const res = await request(app.getHttpServer()).post('/probe/score').set('content-type', 'application/json').send('{"points": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'REQUEST.MALFORMED_BODY', field: 'body' });
  });

  it('answers an oversized body with 400 naming the body', async () => {
    const res = await request(app.getHttpServer()).post('/probe/score').send({ points: 3, evidence: { reference: 'x'.repeat(70_000) } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'REQUEST.BODY_TOO_LARGE', field: 'body' });
  });

  it('maps domain error categories to statuses and keeps the stable code', async () => {
    const conflict = await request(app.getHttpServer()).get('/probe/conflict');
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('ASSESSMENT.ALREADY_SUBMITTED');
    const forbidden = await request(app.getHttpServer()).get('/probe/forbidden');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('ASSESSMENT.FOUR_EYES');
    const missing = await request(app.getHttpServer()).get('/probe/missing');
    expect(missing.status).toBe(404);
  });

  it('never lets a stack trace or internal message out', async () => {
    const res = await request(app.getHttpServer()).get('/probe/crash').set('x-correlation-id', 'req-12345678');
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL', correlationId: 'req-12345678' });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|app\.ts|at /);
  });
});
