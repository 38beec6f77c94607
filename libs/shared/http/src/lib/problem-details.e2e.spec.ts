import 'reflect-metadata';
import { Body, Controller, Get, type INestApplication, NotFoundException, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DomainError } from '@tieuchi/shared/kernel';
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
